package org.trajlake.cli.faults;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One named bad input: the records written for it (each carrying a {@value #HEADER} header naming the
 * case) and how the pipeline must account for it: dead letters (stage and reason), outcomes on the
 * orphaned topic, or a trajectory accepted (with its steps counted and its row checked).
 */
final class BadCase {
  static final String HEADER = "corpus.case";
  static final String INGEST = "ingest-streams";
  static final String JOINER = "reward-joiner";
  static final String INDEXER = "recall-indexer";
  static final String SINK = "iceberg-sink";

  /** A trajectory the case must leave in the table and the index. */
  record Accepted(String workspace, String trajectoryId, int steps, String rowCheck, Predicate<Record> row) {}

  final String name;
  final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
  final List<String> deadLetters = new ArrayList<>();
  int orphaned;
  Accepted accepted;
  // The trajectory id the case's records are keyed by, if any: dead letters that lost our header
  // (an outcome held and later refused, re-encoded from the join state) are found by it.
  String id;

  BadCase(String name) {
    this.name = name;
  }

  BadCase id(String trajectoryId) {
    this.id = trajectoryId;
    return this;
  }

  BadCase send(String topic, byte[] key, byte[] value) {
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key, value);
    record.headers().add(HEADER, name.getBytes(StandardCharsets.UTF_8));
    records.add(record);
    return this;
  }

  BadCase send(String topic, String key, byte[] value) {
    return send(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
  }

  /** A dead letter the case must produce, e.g. {@code dlq(INGEST, "negative-seq")}; repeat for several. */
  BadCase dlq(String stage, String reason) {
    deadLetters.add(stage + " " + reason);
    return this;
  }

  BadCase orphaned(int outcomes) {
    this.orphaned = outcomes;
    return this;
  }

  BadCase accepted(String workspace, String trajectoryId, int steps) {
    return accepted(workspace, trajectoryId, steps, "any row", row -> true);
  }

  BadCase accepted(String workspace, String trajectoryId, int steps, String rowCheck, Predicate<Record> row) {
    this.accepted = new Accepted(workspace, trajectoryId, steps, rowCheck, row);
    return this;
  }

  @Override
  public String toString() {
    return name;
  }
}
