package org.trajlake.cli.faults;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.trajlake.runtime.DeadLetter;
import org.trajlake.testkit.TestKafka;

/**
 * What reached a topic of refused records (the dead-letter topic, or the orphaned outcomes), by the
 * bad case it came from: the case header the corpus put on each record, which every stage keeps, or
 * failing that the record key (an outcome held and refused later is re-encoded with new headers).
 */
final class DeadLetterLog implements AutoCloseable {
  static final String UNKNOWN = "(no case)";

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, String> caseById;
  private final Map<String, List<String>> byCase = new TreeMap<>();

  DeadLetterLog(String bootstrapServers, String topic, List<BadCase> cases) {
    this.consumer = TestKafka.consumerFromStart(bootstrapServers, topic, new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    this.caseById = new TreeMap<>();
    cases.stream().filter(c -> c.id != null && !c.id.isEmpty()).forEach(c -> caseById.put(c.id, c.name));
  }

  /** Reads what arrived since the last call; returns "stage reason" entries by case name. */
  Map<String, List<String>> read() {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
      Optional<DeadLetter> letter = DeadLetter.from(record.headers());
      String entry = letter.map(l -> l.stage() + " " + l.reason()).orElse("(no dead-letter headers)");
      byCase.computeIfAbsent(caseOf(record), c -> new ArrayList<>()).add(entry);
    }
    Map<String, List<String>> copy = new TreeMap<>();
    byCase.forEach((name, entries) -> copy.put(name, entries.stream().sorted().toList()));
    return copy;
  }

  private String caseOf(ConsumerRecord<byte[], byte[]> record) {
    Header header = record.headers().lastHeader(BadCase.HEADER);
    if (header != null) {
      return new String(header.value(), StandardCharsets.UTF_8);
    }
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    return key == null ? UNKNOWN : caseById.getOrDefault(key, UNKNOWN + " key " + key);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
