package org.trajlake.sink.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.trajlake.sink.trainer.Trajectories.trajectory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlake.sink.CatalogSettings;

/** Listing snapshots with what the sink recorded, tagging them, and resolving --snapshot / --tag. */
class SnapshotsIT {
  @TempDir
  Path dataDir;

  TrainingLake lake;
  long first;
  long second;

  @BeforeEach
  void twoCommits() {
    lake = TrainingLake.create(dataDir);
    first = lake.append(trajectory("t1").reward(0.2).build(), trajectory("t2").reward(0.5).build());
    second = lake.upsert(trajectory("t1").reward(0.9).version(2).build());
  }

  @AfterEach
  void close() throws IOException {
    lake.close();
  }

  @Test
  void listShowsEachCommitWithItsOffsetsSchemasAndTags() {
    // Given a tag on the first commit
    Snapshots snapshots = new Snapshots(lake.table());
    snapshots.tag("golden", first, false);

    // When the snapshots are listed
    List<SnapshotInfo> list = new Snapshots(lake.table()).list();

    // Then both commits are there, oldest first, with the sink's summary
    assertThat(list).extracting(SnapshotInfo::snapshotId).containsExactly(first, second);
    SnapshotInfo append = list.get(0);
    assertThat(append.operation()).isEqualTo("append");
    assertThat(append.addedRecords()).isEqualTo(2);
    assertThat(append.offsetRanges()).isEqualTo(Map.of(0, List.of(0L, 2L)));
    assertThat(append.schemaIds()).containsExactly(1, 2);
    assertThat(append.tags()).containsExactly("golden");
    assertThat(append.current()).isFalse();
    SnapshotInfo upsert = list.get(1);
    assertThat(upsert.operation()).isEqualTo("overwrite");
    assertThat(upsert.offsetRanges()).isEqualTo(Map.of(0, List.of(2L, 3L)));
    assertThat(upsert.parentId()).isEqualTo(first);
    assertThat(upsert.current()).isTrue();
  }

  @Test
  void aTagResolvesToItsSnapshotAndIsRecorded() {
    new Snapshots(lake.table()).tag("golden", first, false);

    TableVersion version = new Snapshots(lake.table()).resolve(null, "golden");

    assertThat(version).isEqualTo(new TableVersion(first, "golden"));
  }

  @Test
  void noSnapshotOrTagMeansTheCurrentSnapshot() {
    assertThat(new Snapshots(lake.table()).resolve(null, null)).isEqualTo(new TableVersion(second, null));
    assertThat(new Snapshots(lake.table()).resolve(first, null)).isEqualTo(new TableVersion(first, null));
  }

  @Test
  void anExistingTagMovesOnlyWhenForced() {
    Snapshots snapshots = new Snapshots(lake.table());
    snapshots.tag("golden", first, false);

    assertThatThrownBy(() -> new Snapshots(lake.table()).tag("golden", second, false))
        .hasMessageContaining("tag 'golden' already points at snapshot " + first)
        .hasMessageContaining("--force");

    new Snapshots(lake.table()).tag("golden", second, true);
    assertThat(new Snapshots(lake.table()).resolve(null, "golden").snapshotId()).isEqualTo(second);
  }

  @Test
  void unknownSnapshotsTagsAndBranchesAreClearErrors() {
    Snapshots snapshots = new Snapshots(lake.table());
    snapshots.tag("golden", first, false);

    assertThatThrownBy(() -> snapshots.tag("x", 42L, false)).hasMessageContaining("no snapshot 42 in");
    assertThatThrownBy(() -> snapshots.resolve(42L, null)).hasMessageContaining("no snapshot 42 in")
        .hasMessageContaining("trajlake snapshots list");
    assertThatThrownBy(() -> snapshots.resolve(null, "silver")).hasMessageContaining("no tag 'silver'")
        .hasMessageContaining("tags: golden");
    assertThatThrownBy(() -> snapshots.tag("main", first, true)).hasMessageContaining("'main' is a branch");
  }

  @Test
  void aMissingCatalogOrTableSaysToRunTheSinkFirst(@TempDir Path elsewhere) {
    assertThatThrownBy(() -> TrainingTables.open(CatalogSettings.forDataDir(elsewhere)))
        .hasMessageContaining("no Iceberg catalog at " + elsewhere.resolve("catalog.db"))
        .hasMessageContaining("run `trajlake run sink` first");
    try (TrainingTables tables = TrainingTables.open(lake.settings())) {
      assertThat(tables.trajectories().name()).endsWith("trajlake.trajectories");
      assertThatThrownBy(tables::outcomes).hasMessageContaining("no table trajlake.outcomes")
          .hasMessageContaining("run `trajlake run sink` first");
    }
  }
}
