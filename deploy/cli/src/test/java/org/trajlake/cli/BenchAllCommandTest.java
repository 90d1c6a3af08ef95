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
    assertRefusedBeforeStarting(run,
        "--only: unknown benchmark 'nope'; choose from streams, indexing, recall, freshness, sink");
  }

  @Test
  void aSizeNoBenchmarkCanRunWithIsRefusedBeforeAnythingStarts() {
    // When one benchmark is given a negative client count and a zero query count
    CliRun alone = CliRun.of("bench", "recall", "--data-dir", dataDir.toString(), "--queries", "0", "--clients", "-1");

    // Then it names both options and what they take, and starts nothing (it used to index 100,000
    // trajectories and report NaN)
    assertRefusedBeforeStarting(alone, "--queries must be 1 or more, not 0; --clients must be 0 or more, not -1");

    // And bench all refuses a bad size of its last benchmark before running the first
    CliRun all = CliRun.of("bench", "all", "--data-dir", dataDir.toString(), "--freshness-probes", "0",
        "--indexing-embedded", "-5");
    assertRefusedBeforeStarting(all, "bench indexing --embedded must be 0 or more, not -5",
        "bench freshness --probes must be 1 or more, not 0");
  }

  @Test
  void theSinksWarmUpTakesMinusOneForItsDefaultAndSaysSo() {
    CliRun run = CliRun.of("bench", "sink", "--data-dir", dataDir.toString(), "--warm-up", "-2");

    assertRefusedBeforeStarting(run, "--warm-up must be 0 or more (or -1: half of --trajectories), not -2");
  }

  @Test
  void everyBenchmarksDefaultsAndItsSmallestSizesPassTheChecks() {
    for (String name : BenchAllCommand.ORDER) {
      assertThat(BenchAllCommand.defaults(name).sizeProblems()).as(name).isEmpty();
    }
    BenchCommand.Recall recall = new BenchCommand.Recall();
    recall.trajectories = 1;
    recall.queries = 1;
    recall.clients = 0;
    assertThat(recall.sizeProblems()).isEmpty();
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

  /** A usage error (exit 2) saying each of {@code messages}, with no server started in the data dir. */
  private void assertRefusedBeforeStarting(CliRun run, String... messages) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains(messages);
    assertThat(dataDir.resolve("run")).doesNotExist();
  }
}
