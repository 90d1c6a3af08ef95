package org.trajlake.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Why a record went to the dead-letter topic and where it came from. The record itself keeps its
 * original key and value bytes; these facts travel as headers with UTF-8 text values, readable with
 * any Kafka tool ({@code kcat -f '%h'}).
 *
 * @param reason a short machine-readable code, for example {@code negative-seq} or {@code undecodable}
 * @param detail the reason in plain words, with the offending value
 * @param stage the service that dead-lettered it
 * @param sourceTopic where the record was read
 * @param sourcePartition its partition there
 * @param sourceOffset its offset there
 * @param time when it was dead-lettered
 */
public record DeadLetter(String reason, String detail, String stage, String sourceTopic, int sourcePartition,
    long sourceOffset, Instant time) {
  public static final String REASON = "trajlake.dlq.reason";
  public static final String DETAIL = "trajlake.dlq.detail";
  public static final String STAGE = "trajlake.dlq.stage";
  public static final String SOURCE_TOPIC = "trajlake.dlq.source.topic";
  public static final String SOURCE_PARTITION = "trajlake.dlq.source.partition";
  public static final String SOURCE_OFFSET = "trajlake.dlq.source.offset";
  public static final String TIME = "trajlake.dlq.time";

  /** Adds these facts to {@code headers} (replacing any earlier dead-letter headers) and returns them. */
  public Headers addTo(Headers headers) {
    put(headers, REASON, reason);
    put(headers, DETAIL, detail);
    put(headers, STAGE, stage);
    put(headers, SOURCE_TOPIC, sourceTopic);
    put(headers, SOURCE_PARTITION, Integer.toString(sourcePartition));
    put(headers, SOURCE_OFFSET, Long.toString(sourceOffset));
    put(headers, TIME, time.toString());
    return headers;
  }

  /** The dead-letter facts in {@code headers}, if it has them. */
  public static Optional<DeadLetter> from(Headers headers) {
    Optional<String> reason = text(headers, REASON);
    if (reason.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new DeadLetter(reason.get(), text(headers, DETAIL).orElse(""), text(headers, STAGE).orElse(""),
        text(headers, SOURCE_TOPIC).orElse(""), text(headers, SOURCE_PARTITION).map(Integer::parseInt).orElse(-1),
        text(headers, SOURCE_OFFSET).map(Long::parseLong).orElse(-1L),
        text(headers, TIME).map(Instant::parse).orElse(Instant.EPOCH)));
  }

  private static void put(Headers headers, String key, String value) {
    headers.remove(key);
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<String> text(Headers headers, String key) {
    Header header = headers.lastHeader(key);
    return header == null || header.value() == null
        ? Optional.empty()
        : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
  }
}
