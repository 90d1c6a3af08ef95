package org.trajlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command does without any server. */
class TrajlakeCliTest {
  @TempDir
  Path dataDir;

  @Test
  void misconfiguredPortRefusesToStartAndNamesTheSetting() {
    // Given a port that is not a number
    // When `up` runs
    CliRun run = CliRun.of("up", "--data-dir", dataDir.toString(), "--kafka-port", "ninety");

    // Then nothing starts and the error names the flag and the variable
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("'ninety' for --kafka-port / TRAJLAKE_KAFKA_PORT: not a port number");
    assertThat(dataDir.resolve("run")).doesNotExist();
  }

  @Test
  void statusOfAStoppedStackListsEveryComponentAndExitsNonZero() {
    // Given a data dir where nothing runs
    // When `status` runs
    CliRun run = CliRun.of("status", "--data-dir", dataDir.toString());

    // Then each component is listed as stopped and the exit code says "not all healthy"
    assertThat(run.exitCode()).isEqualTo(StatusCommand.NOT_ALL_HEALTHY);
    assertThat(run.out()).contains("COMPONENT").contains("kafka").contains("registry").contains("opensearch")
        .contains("iceberg").contains("stopped");
  }

  @Test
  void helpListsEverySettingWithItsEnvironmentVariable() {
    // When `up --help` runs
    CliRun run = CliRun.of("up", "--help");

    // Then flags, defaults and TRAJLAKE_* names are documented
    assertThat(run.exitCode()).isZero();
    String help = run.out().replaceAll("\\s+", " ");
    assertThat(help).contains("--kafka-port=PORT Kafka broker (PLAINTEXT listener) port. Default: 9092. Env: TRAJLAKE_KAFKA_PORT.")
        .contains("--server-java-home=DIR").contains("TRAJLAKE_SERVER_JAVA_HOME").contains("--data-dir=DIR")
        .contains("--opensearch-heap=SIZE").doesNotContain("--stop-with-parent");
  }

  @Test
  void downWithNothingRunningSaysSo() {
    CliRun run = CliRun.of("down", "--data-dir", dataDir.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("nothing was running");
  }

  @Test
  void aServiceRefusesAKeyNoServiceReadsButNotAnotherServicesKey() {
    // When recall is given a misspelt port and the sink's commit interval, as a script giving every service
    // the same settings would
    CliRun run = CliRun.of("run", "recall", "--set", "recall.prot=8092", "--set", "sink.commit.interval.ms=1000");

    // Then it refuses to start, naming only the misspelt key
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("unknown setting recall.prot given with --set")
        .contains("trajlake run recall --help").doesNotContain("sink.commit.interval.ms");
  }
}
