package org.trajlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.trajlake.stack.ComponentStatus;
import org.trajlake.stack.LocalStack;
import org.trajlake.stack.StackConfig;
import org.trajlake.testkit.FreshStackConfig;

/**
 * {@code trajlake demo}, the README's main command, on a stack of its own that is not running yet: it
 * must start the stack, show both loops, exit 0, and stop the stack it started.
 */
class DemoIT {
  private static final StackConfig CONFIG = FreshStackConfig.builder("demo").build();

  @AfterAll
  static void stopWhateverStillRuns() {
    new LocalStack(CONFIG).down();
  }

  @Test
  void theDemoShowsBothLoopsAndStopsTheStackItStarted() throws Exception {
    // When the demo runs with a small fleet on a stack that is not running
    List<String> args = new ArrayList<>(List.of("demo", "--agents", "4", "--trajectories", "24",
        "--set", "recall.port=0", "--set", "metrics.port=-1"));
    args.addAll(FreshStackConfig.flags(CONFIG));
    CliRun run = CliRun.of(args.toArray(String[]::new));

    // Then it succeeds and says so
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("demo: OK")
        // the hot loop: a new trajectory was recalled, and a later agent recalled rewarded similar ones
        .containsPattern("a new trajectory was recallable \\d+ ms after Kafka acknowledged its END")
        .containsPattern("1\\. flaky-order-timeout-\\S+ +coder-\\d +\\w+ +reward (0\\.[5-9]\\d|1\\.00)")
        // the cold loop: every trajectory of the run labeled in one snapshot, tagged and exported
        .containsPattern("snapshot \\d+ of trajlake.trajectories: 24 rows of this run, all LABELED");
    Matcher export = Pattern.compile("exported (\\d+) DPO pairs .* to (\\S+\\.jsonl)").matcher(run.out());
    assertThat(export.find()).as(run.out()).isTrue();
    Path pairs = Path.of(export.group(2));
    assertThat(Files.readAllLines(pairs)).hasSize(Integer.parseInt(export.group(1))).isNotEmpty()
        .allMatch(line -> line.contains("\"chosen\"") && line.contains("\"rejected\""));
    assertThat(pairs.resolveSibling(pairs.getFileName() + ".manifest.json")).exists();
    // and the stack it started is stopped again
    assertThat(new LocalStack(CONFIG).status()).filteredOn(s -> s.component().isProcess())
        .noneMatch(ComponentStatus::running);
  }
}
