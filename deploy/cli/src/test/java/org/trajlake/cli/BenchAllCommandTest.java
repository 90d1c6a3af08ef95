package org.trajlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trajlake bench all} before any server starts. */
class BenchAllCommandTest {
  @TempDir
  Path dataDir;

  @Test
  void anUnknownBenchmarkIsRefusedBeforeAnythingStarts() {
    // When a benchmark that does not exist is asked for
    CliRun run = CliRun.of("bench", "all", "--data-dir", dataDir.toString(), "--only", "streams,nope");

    // Then the command names it and the valid ones, and starts nothing
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--only: unknown benchmark 'nope'; choose from streams, indexing, recall, freshness, sink");
    assertThat(dataDir.resolve("run")).doesNotExist();
  }

  @Test
  void everySizeCanBeScaledDownAndDefaultsToTheBenchmarksOwn() {
    CliRun run = CliRun.of("bench", "all", "--help");

    String help = run.out().replaceAll("\\s+", " ");
    assertThat(help).contains("--streams-trajectories=N bench streams --trajectories. Default: 10000.")
        .contains("--recall-trajectories=N bench recall --trajectories. Default: 100000.")
        .contains("--recall-clients=N bench recall --clients. Default: 8.")
        .contains("--freshness-probes=N bench freshness --probes. Default: 200.")
        .contains("--sink-trajectories=N bench sink --trajectories. Default: 100000.")
        .contains("--data-dir=DIR");
    // And the defaults quoted in the help are the benchmarks' own
    assertThat(CliRun.of("bench", "streams", "--help").out()).contains("Default: 10000.");
    assertThat(CliRun.of("bench", "recall", "--help").out()).contains("Default: 100000.").contains("Default: 8.");
  }

  @Test
  void benchRecallSendsRecallSettingsToTheServiceAndTheRestToTheIndexes() {
    Map<String, String> set = Map.of("recall.window", "10", "index.knn.ef.construction", "128");

    assertThat(BenchCommand.Recall.only(set, true)).containsExactly(Map.entry("recall.window", "10"));
    assertThat(BenchCommand.Recall.only(set, false)).containsExactly(Map.entry("index.knn.ef.construction", "128"));
  }
}
