package org.trajlake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.trajlake.cli.dlq.DeadLetterReader;
import org.trajlake.cli.dlq.DeadLetterSummary;
import org.trajlake.runtime.DeadLetter;
import org.trajlake.runtime.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code trajlake dlq}: what the dead-letter topic holds, by stage and reason, and the latest dead
 * letters with where each record came from, for an operator asking what was refused and why.
 */
@Command(name = "dlq", mixinStandardHelpOptions = true,
    description = "Summarize the dead-letter topic (<topic.prefix>dlq): records refused by stage and reason, and "
        + "the latest ones with their source topic, partition and offset. Reads without a consumer group, changing "
        + "nothing. Settings come from --set, TRAJLAKE_* variables, --config FILE, then defaults; Kafka consumer "
        + "settings (SASL, TLS) are given as consumer.<key>.",
    footerHeading = "%nSettings (key, default, meaning):%n")
final class DlqCommand extends RunCommand.ServiceCommand {
  static final String CONSUMER_PREFIX = "consumer.";
  static final ConfigDef CONFIG = ProvisionCommand.kafkaTopics();
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Option(names = "--stage", paramLabel = "STAGE", description = "Only this stage's dead letters (ingest-streams, "
      + "reward-joiner, recall-indexer, iceberg-sink).")
  String stage;

  @Option(names = "--reason", paramLabel = "REASON", description = "Only dead letters of this reason, e.g. negative-seq.")
  String reason;

  @Option(names = "--latest", paramLabel = "N", defaultValue = "10",
      description = "How many of the latest dead letters to list. Default: 10.")
  int latest;

  @Option(names = "--json", description = "Print JSON instead of tables.")
  boolean json;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "Give up when the topic is not read to its end within this time. Default: 60.")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    if (latest < 0) {
      throw new IllegalArgumentException("--latest must be 0 or more, was " + latest);
    }
    Settings settings = settings();
    AbstractConfig config = ProvisionCommand.kafkaTopicsConfig(settings, CONFIG);
    Map<String, Object> consumer = ProvisionCommand.kafkaClient(config, settings, CONSUMER_PREFIX);
    requireSetKeysRead();
    consumer.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "trajlake-dlq");
    String topic = config.getString("topic.prefix") + "dlq";

    DeadLetterSummary summary = new DeadLetterSummary(latest);
    new DeadLetterReader(consumer, Duration.ofSeconds(timeoutSeconds)).read(topic, entry -> {
      if (matches(entry.letter())) {
        summary.add(entry);
      }
    });
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(JSON.writeValueAsString(json(topic, summary)));
    } else {
      print(out, topic, summary);
    }
    out.flush();
    return 0;
  }

  private boolean matches(DeadLetter letter) {
    if (stage == null && reason == null) {
      return true;
    }
    return letter != null && (stage == null || stage.equals(letter.stage()))
        && (reason == null || reason.equals(letter.reason()));
  }

  private void print(PrintWriter out, String topic, DeadLetterSummary summary) {
    String filter = (stage == null ? "" : " stage " + stage) + (reason == null ? "" : " reason " + reason);
    out.printf("%s%s: %,d dead letters, %,d refused records%s%s%n", topic, filter.isEmpty() ? "" : " (" + filter.trim()
        + ")", summary.deadLetters(), summary.records(),
        summary.repeats() == 0 ? "" : String.format(" (%,d written again by a stage that restarted before committing)",
            summary.repeats()),
        summary.withoutHeaders() == 0 ? "" : String.format("; %,d without dead-letter headers", summary.withoutHeaders()));
    if (summary.records() == 0) {
      return;
    }
    out.println();
    out.printf("  %-16s %-26s %9s  %-24s  %s%n", "stage", "reason", "records", "last", "last detail");
    for (DeadLetterSummary.Reason r : summary.reasons()) {
      out.printf("  %-16s %-26s %,9d  %-24s  %s%n", r.kind().stage(), r.kind().reason(), r.records(), r.last(),
          shorten(r.lastDetail(), 80));
    }
    List<DeadLetterSummary.Entry> latest = summary.latest();
    if (!latest.isEmpty()) {
      out.println();
      out.println("  latest:");
      for (DeadLetterSummary.Entry entry : latest) {
        DeadLetter letter = entry.letter();
        out.printf("  %s  %s %s  %s/%d@%d  key %s  %s%n", letter.time(), letter.stage(), letter.reason(),
            letter.sourceTopic(), letter.sourcePartition(), letter.sourceOffset(),
            entry.key().isEmpty() ? "(none)" : shorten(entry.key(), 60), shorten(letter.detail(), 120));
      }
    }
  }

  private static ObjectNode json(String topic, DeadLetterSummary summary) {
    ObjectNode root = JSON.createObjectNode();
    root.put("topic", topic);
    root.put("dead_letters", summary.deadLetters());
    root.put("records", summary.records());
    root.put("repeats", summary.repeats());
    root.put("without_headers", summary.withoutHeaders());
    ArrayNode reasons = root.putArray("reasons");
    for (DeadLetterSummary.Reason r : summary.reasons()) {
      reasons.addObject().put("stage", r.kind().stage()).put("reason", r.kind().reason()).put("records", r.records())
          .put("first", r.first().toString()).put("last", r.last().toString()).put("last_detail", r.lastDetail());
    }
    ArrayNode latest = root.putArray("latest");
    for (DeadLetterSummary.Entry entry : summary.latest()) {
      DeadLetter letter = entry.letter();
      latest.addObject().put("time", letter.time().toString()).put("stage", letter.stage())
          .put("reason", letter.reason()).put("detail", letter.detail()).put("source_topic", letter.sourceTopic())
          .put("source_partition", letter.sourcePartition()).put("source_offset", letter.sourceOffset())
          .put("key", entry.key()).put("value_bytes", entry.valueBytes());
    }
    return root;
  }

  /** One line of at most {@code max} characters: details can hold newlines and whole stack traces. */
  private static String shorten(String text, int max) {
    String line = text.replaceAll("\\s+", " ").strip();
    return line.length() <= max ? line : line.substring(0, max - 3) + "...";
  }
}
