package org.trajlake.sink.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trajlake.sink.trainer.Trajectories.DAY;
import static org.trajlake.sink.trainer.Trajectories.trajectory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlake.sink.trainer.TrainingLake;
import org.trajlake.sink.trainer.Trajectories;

/** Parallel writes of a batch on a real table (SQLite catalog, local warehouse). */
class PartitionedRowWriterIT {
  @TempDir
  Path dataDir;

  TrainingLake lake;

  @BeforeEach
  void lake() {
    lake = TrainingLake.create(dataDir);
  }

  @AfterEach
  void close() throws IOException {
    lake.close();
  }

  @Test
  void twoWritersWriteEveryRowOnceInFilesOfTheirOwnWithoutDictionariesOrStatisticsOfListElements() throws IOException {
    // Given 6,000 rows over two days
    Table table = lake.table();
    List<Record> rows = new ArrayList<>();
    for (int i = 0; i < 6_000; i++) {
      rows.add(Trajectories.row(trajectory("t" + i).endedAt(DAY.plus(Duration.ofHours(i / 200))).reward(0.5).build()));
    }

    // When they are written by two writers and committed
    List<DataFile> files = PartitionedRowWriter.writeAll(table, "op", rows, 2);
    AppendFiles append = table.newAppend();
    files.forEach(append::appendFile);
    append.commit();

    // Then each writer made files of its own, and every row is there once
    assertThat(files).anyMatch(f -> f.location().contains("-op-w0-")).anyMatch(f -> f.location().contains("-op-w1-"));
    assertThat(files.stream().mapToLong(DataFile::recordCount).sum()).isEqualTo(6_000);
    List<String> ids = new ArrayList<>();
    try (CloseableIterable<Record> read = IcebergGenerics.read(lake.table()).select("trajectory_id").build()) {
      read.forEach(r -> ids.add((String) r.getField("trajectory_id")));
    }
    assertThat(ids).hasSize(6_000).doesNotHaveDuplicates();
    // and no column chunk carries a dictionary page
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
        new org.apache.hadoop.fs.Path(files.get(0).location()), new Configuration()))) {
      for (ColumnChunkMetaData column : reader.getFooter().getBlocks().get(0).getColumns()) {
        assertThat(column.getEncodingStats().hasDictionaryPages()).as(column.getPath().toDotString()).isFalse();
        // and only columns outside lists and maps carry statistics (Iceberg keeps no bounds of the others)
        String path = column.getPath().toDotString();
        if (path.startsWith("steps.") || path.startsWith("outcomes.") || path.startsWith("attributes.")) {
          assertThat(column.getStatistics().isEmpty()).as(path).isTrue();
        } else if (path.equals("trajectory_id") || path.equals("ended_at")) {
          assertThat(column.getStatistics().hasNonNullValue()).as(path).isTrue();
        }
      }
    }
  }

  @Test
  void aBatchOfInterleavedDaysWritesOneFilePerDayWithTwoWriters() {
    // Given 4,000 rows whose days come interleaved, as a backlog's do
    List<Record> rows = new ArrayList<>();
    for (int i = 0; i < 4_000; i++) {
      rows.add(Trajectories.row(trajectory("t" + i).endedAt(DAY.plus(Duration.ofDays(i % 8))).build()));
    }

    // When two writers write them
    List<DataFile> files = PartitionedRowWriter.writeAll(lake.table(), "op", rows, 2);

    // Then each day is one file of 500 rows, and both writers had four days
    assertThat(files).hasSize(8).allSatisfy(file -> assertThat(file.recordCount()).isEqualTo(500));
    assertThat(files.stream().filter(f -> f.location().contains("-op-w0-"))).hasSize(4);
  }

  @Test
  void oneDayLargerThanAShareIsSplitBetweenTheWriters() {
    // Given one day of 3,000 rows and another of 1,000
    List<Record> rows = new ArrayList<>();
    for (int i = 0; i < 4_000; i++) {
      rows.add(Trajectories.row(trajectory("t" + i).endedAt(DAY.plus(Duration.ofDays(i < 3_000 ? 0 : 1))).build()));
    }

    // When two writers share them
    List<List<Record>> shares = PartitionedRowWriter.slices(lake.table(), rows, 2);

    // Then both have 2,000 rows: the large day cut in two runs in order, the small day whole
    assertThat(shares).hasSize(2).allSatisfy(share -> assertThat(share).hasSize(2_000));
    assertThat(shares.get(0)).isEqualTo(rows.subList(0, 2_000));
    assertThat(shares.get(1)).containsExactlyElementsOf(concat(rows.subList(2_000, 3_000), rows.subList(3_000, 4_000)));
  }

  private static List<Record> concat(List<Record> first, List<Record> second) {
    List<Record> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
