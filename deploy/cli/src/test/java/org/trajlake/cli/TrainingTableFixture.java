package org.trajlake.cli;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.trajlake.schema.LabelStatus;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.schema.Step;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryStatus;
import org.trajlake.sink.CatalogSettings;
import org.trajlake.sink.commit.SinkSummary;
import org.trajlake.sink.table.RowConverter;
import org.trajlake.sink.table.SinkTables;
import org.trajlake.sink.table.TableSchemas;

/** The local stack's trajectories table under a data dir, with rows appended the way the sink commits them. */
final class TrainingTableFixture {
  private static final Instant ENDED = Instant.parse("2025-06-01T10:00:00Z");

  private TrainingTableFixture() {}

  /** A trajectory of {@code taskId}: the task, one answer, the end. */
  static RewardedTrajectory trajectory(String id, String taskId, double reward) {
    List<Step> steps = List.of(step(id, 0, StepKind.OBSERVATION, "Solve " + taskId),
        step(id, 1, StepKind.ACTION, "answer from " + id), step(id, 2, StepKind.END, ""));
    Trajectory trajectory = Trajectory.newBuilder().setTrajectoryId(id).setWorkspace("ws").setAgentId("agent")
        .setTaskId(taskId).setStatus(TrajectoryStatus.SUCCESS).setStartedAt(ENDED.minusSeconds(3)).setEndedAt(ENDED)
        .setSteps(steps).setAssembledAt(ENDED).build();
    return RewardedTrajectory.newBuilder().setTrajectory(trajectory).setReward(reward)
        .setLabelStatus(LabelStatus.LABELED).setVersion(1).setRewardedAt(ENDED).build();
  }

  /** Appends {@code rows} in one commit from offset {@code fromOffset} of partition 0; returns the snapshot id. */
  static long append(Path dataDir, long fromOffset, RewardedTrajectory... rows) throws IOException {
    Catalog catalog = CatalogSettings.forDataDir(dataDir).open();
    try {
      Table table = new SinkTables(catalog, "trajlake", SinkTables.defaultProperties(128L << 20))
          .trajectories(TableSchemas.trajectories(RewardedTrajectory.getClassSchema()));
      GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).build();
      OutputFileFactory files = OutputFileFactory.builderFor(table, 1, fromOffset).format(FileFormat.PARQUET).build();
      RowConverter converter = RowConverter.trajectories(table.schema(), RewardedTrajectory.getClassSchema());
      InternalRecordWrapper wrapper = new InternalRecordWrapper(table.schema().asStruct());
      PartitionKey partition = new PartitionKey(table.spec(), table.schema());
      FanoutDataWriter<Record> writer = new FanoutDataWriter<>(writers, files, table.io(), 128L << 20);
      try (writer) {
        for (RewardedTrajectory row : rows) {
          Record record = converter.convert(row);
          partition.partition(wrapper.wrap(record));
          writer.write(record, table.spec(), partition.copy());
        }
      }
      AppendFiles append = table.newAppend();
      writer.result().dataFiles().forEach(append::appendFile);
      append.set(SinkSummary.TOPIC, "trajlake.trajectories.rewarded");
      append.set(SinkSummary.OFFSET_RANGES, "{\"0\":[" + fromOffset + "," + (fromOffset + rows.length) + "]}");
      append.set(SinkSummary.OFFSETS, "{\"0\":" + (fromOffset + rows.length) + "}");
      append.set(SinkSummary.SCHEMA_IDS, "[1]");
      append.commit();
      return table.currentSnapshot().snapshotId();
    } finally {
      if (catalog instanceof Closeable closeable) {
        closeable.close();
      }
    }
  }

  private static Step step(String id, int seq, StepKind kind, String content) {
    return Step.newBuilder().setEventId(id + "-" + seq).setSeq(seq).setTs(ENDED.minusSeconds(3 - seq)).setKind(kind)
        .setContent(content).build();
  }

}
