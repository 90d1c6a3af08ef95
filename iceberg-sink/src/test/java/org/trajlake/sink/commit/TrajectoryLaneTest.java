package org.trajlake.sink.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trajlake.sink.trainer.Trajectories.DAY;
import static org.trajlake.sink.trainer.Trajectories.trajectory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.schema.serde.ConfluentGenericDecoder.WriterRecord;
import org.trajlake.sink.Graduation;
import org.trajlake.sink.trainer.TrainingLake;
import org.trajlake.sink.trainer.Trajectories;

/**
 * The trajectories lane keeps a batch as encoded records and has its writer threads decode and convert
 * them: what lands in the table must be exactly the rows converted straight from the records sent.
 */
class TrajectoryLaneTest {
  private static final int SCHEMA_ID = 7;
  private static final Schema SCHEMA = RewardedTrajectory.getClassSchema();

  @TempDir
  Path dataDir;

  private long offset;

  @Test
  void rowsKeptEncodedLandOnceAtTheirLatestVersionAsTheyWereSentWrittenByTwoWritersReportingEachRow() throws IOException {
    try (TrainingLake lake = TrainingLake.create(dataDir)) {
      Table table = lake.table();
      AtomicLong rowsReported = new AtomicLong();
      TrajectoryLane lane = new TrajectoryLane(TrainingLake.TOPIC, table, 2,
          new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(5), rowsReported::incrementAndGet), CommitObserver.NONE,
          Graduation.ALL);

      // Given 6,000 trajectories whose three days come interleaved, then a second version of every tenth
      Map<String, RewardedTrajectory> latest = new LinkedHashMap<>();
      for (int i = 0; i < 6_000; i++) {
        RewardedTrajectory sent = trajectory("t" + i).endedAt(DAY.plus(Duration.ofDays(i % 3)).plusMillis(i))
            .reward(0.1).attribute("n", Integer.toString(i)).build();
        add(lane, sent);
        latest.put("t" + i, sent);
      }
      for (int i = 0; i < 6_000; i += 10) {
        RewardedTrajectory again = trajectory("t" + i).endedAt(DAY.plus(Duration.ofDays(i % 3)).plusMillis(i))
            .reward(0.9).version(2).attribute("n", Integer.toString(i)).build();
        add(lane, again);
        latest.put("t" + i, again);
      }

      // When the batch is committed
      lane.commit();

      // Then both writers wrote files, one per day each at most
      table.refresh();
      Map<String, Integer> filesPerWriter = new HashMap<>();
      try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
        tasks.forEach(task -> filesPerWriter.merge(task.file().location().contains("-w0-") ? "w0" : "w1", 1, Integer::sum));
      }
      assertThat(filesPerWriter).containsOnlyKeys("w0", "w1");
      assertThat(filesPerWriter.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(3);
      // and each row written told the sink's stall watch that the loop is making progress
      assertThat(rowsReported).hasValue(6_000);

      // and every trajectory is there once, its row equal to the one converted straight from its latest version
      Map<String, Record> rows = new HashMap<>();
      try (CloseableIterable<Record> read = IcebergGenerics.read(table).build()) {
        read.forEach(row -> assertThat(rows.put((String) row.getField("trajectory_id"), row)).isNull());
      }
      assertThat(rows).hasSize(6_000);
      latest.forEach((id, sent) -> assertThat(rows.get(id)).as(id).isEqualTo(Trajectories.row(sent)));
      assertThat(rows.get("t10").getField("reward")).isEqualTo(0.9);
      assertThat(rows.get("t11").getField("reward")).isEqualTo(0.1);
    }
  }

  /** Adds {@code sent} as the sink would: its Confluent-wire payload and the generic record decoded from it. */
  private void add(TrajectoryLane lane, RewardedTrajectory sent) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(new byte[] {0, 0, 0, 0, SCHEMA_ID});
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
    new SpecificDatumWriter<RewardedTrajectory>(SCHEMA).write(sent, encoder);
    encoder.flush();
    byte[] payload = bytes.toByteArray();
    GenericRecord decoded = new GenericDatumReader<GenericRecord>(SCHEMA)
        .read(null, DecoderFactory.get().binaryDecoder(payload, 5, payload.length - 5, null));
    String id = sent.getTrajectory().getTrajectoryId();
    lane.add(new ConsumerRecord<>(TrainingLake.TOPIC, 0, offset++, id.getBytes(), payload),
        new WriterRecord(SCHEMA_ID, SCHEMA, decoded));
  }
}
