package org.trajlake.sink.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trajlake.sink.trainer.Trajectories.trajectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlake.schema.RewardedTrajectory;

/**
 * A seeded sample depends on the seed and the rows, not on how the rows were committed or read, and the
 * reward strategy prefers high rewards.
 */
class SampleIT {
  private static final int ROWS = 120;

  @TempDir
  Path dataDir;

  @TempDir
  Path otherDataDir;

  @TempDir
  Path outDir;

  TrainingLake lake;
  TrainingLake reordered;

  @BeforeEach
  void theSameRowsCommittedTwoWays() {
    // Even ids are rewarded 1.0, odd ones 0.05; they end on three different days (three partitions).
    List<RewardedTrajectory> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      rows.add(trajectory(String.format("t%03d", i)).task("task-" + i % 7).reward(i % 2 == 0 ? 1.0 : 0.05)
          .endedAt(Trajectories.DAY.plusSeconds(86_400L * (i % 3))).build());
    }
    lake = TrainingLake.create(dataDir);
    for (int from = 0; from < ROWS; from += 40) {
      lake.append(rows.subList(from, from + 40).toArray(RewardedTrajectory[]::new));
    }
    List<RewardedTrajectory> reversed = new ArrayList<>(rows);
    Collections.reverse(reversed);
    reordered = TrainingLake.create(otherDataDir);
    for (int from = 0; from < ROWS; from += 30) {
      reordered.append(reversed.subList(from, from + 30).toArray(RewardedTrajectory[]::new));
    }
  }

  @AfterEach
  void close() throws IOException {
    lake.close();
    reordered.close();
  }

  @Test
  void theSameSeedGivesTheSameSampleWhateverTheReadOrder() throws IOException {
    // When three samples are drawn with seed 7: two from one table, one from the same rows committed
    // in reverse order in other batches
    Path once = sample(lake, Sampler.Strategy.UNIFORM, 7, "once.jsonl");
    Path twice = sample(lake, Sampler.Strategy.UNIFORM, 7, "twice.jsonl");
    Path elsewhere = sample(reordered, Sampler.Strategy.UNIFORM, 7, "elsewhere.jsonl");

    // Then all three are byte for byte the same fifteen rows
    assertThat(Files.readAllLines(once)).hasSize(15).isEqualTo(Files.readAllLines(twice))
        .isEqualTo(Files.readAllLines(elsewhere));
  }

  @Test
  void anotherSeedGivesAnotherSample() throws IOException {
    List<String> seven = ids(sample(lake, Sampler.Strategy.UNIFORM, 7, "seven.jsonl"));
    List<String> eight = ids(sample(lake, Sampler.Strategy.UNIFORM, 8, "eight.jsonl"));

    assertThat(eight).hasSize(15).isNotEqualTo(seven);
    assertThat(eight).doesNotHaveDuplicates();
  }

  @Test
  void theRewardStrategyPrefersHighRewards() throws IOException {
    // When fifteen rows are drawn by reward where half the rows are rewarded 20 times more
    Path out = sample(lake, Sampler.Strategy.REWARD, 7, "reward.jsonl");

    // Then most of them are high-reward rows (uniform would give about half)
    long high = ids(out).stream().filter(id -> Integer.parseInt(id.substring(1)) % 2 == 0).count();
    assertThat(high).isGreaterThanOrEqualTo(12);
  }

  @Test
  void theManifestRecordsStrategySizeAndSeed() throws IOException {
    Path out = sample(lake, Sampler.Strategy.REWARD, 7, "manifest.jsonl");

    ExportManifest manifest = JsonLinesFile.MAPPER.readValue(ExportManifest.pathFor(out).toFile(), ExportManifest.class);
    assertThat(manifest.options()).isEqualTo(Map.of("strategy", "reward", "n", 15, "seed", 7));
    assertThat(manifest.rowsRead()).isEqualTo(ROWS);
    assertThat(manifest.recordsWritten()).isEqualTo(15);
    assertThat(manifest.format()).isEqualTo("jsonl");
  }

  private Path sample(TrainingLake from, Sampler.Strategy strategy, long seed, String name) {
    Path out = outDir.resolve(name);
    TableVersion current = new Snapshots(from.table()).resolve(null, null);
    new Sampler(from.table(), ReadProgress.NONE).sample(current, new Sampler.Options(15, seed, strategy, null), out);
    return out;
  }

  private static List<String> ids(Path out) throws IOException {
    List<String> ids = new ArrayList<>();
    for (String line : Files.readAllLines(out)) {
      ids.add(JsonLinesFile.MAPPER.readTree(line).get("trajectory_id").asText());
    }
    return ids;
  }
}
