package org.trajlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trajlake.stack.Component;
import org.trajlake.stack.ComponentStatus;
import org.trajlake.stack.LocalStack;
import org.trajlake.stack.StackConfig;
import org.trajlake.testkit.FreshStackConfig;

/**
 * The built distribution, run the way a user runs it: {@code bin/trajlake} from
 * {@code target/trajlake}, a separate JVM that starts servers from the distribution's own
 * {@code servers/} folder and exits, leaving them running for {@code status} and {@code down}.
 */
class DistributionIT {
  private static final Path DIST = Path.of("target", "trajlake").toAbsolutePath();

  private static Path dataDir;
  private static List<String> stackFlags;
  private static LocalStack stack;

  @BeforeAll
  static void chooseDataDirAndPorts() {
    StackConfig config = FreshStackConfig.builder("dist").build();
    dataDir = config.dataDir();
    stackFlags = FreshStackConfig.flags(config);
    stack = new LocalStack(config);
  }

  @AfterAll
  static void stopWhateverStillRuns() {
    // The servers outlive bin/trajlake by design; this test must not leave them behind.
    stack.down();
  }

  @Test
  void binTrajlakeStartsReportsAndStopsTheStackFromTheDistribution() throws Exception {
    // Given the distribution the build laid out
    assertThat(DIST.resolve("bin/trajlake")).isExecutable();
    assertThat(DIST.resolve("servers/kafka/lib")).isDirectory();

    // When `bin/trajlake up` runs and exits
    List<String> up = new ArrayList<>(List.of("up"));
    up.addAll(stackFlags);
    Result started = run(up);

    // Then it printed progress and the table, and the servers it left running are the distribution's
    assertThat(started.exitCode()).as(started.output()).isZero();
    assertThat(started.output()).contains("healthy after").contains("COMPONENT").contains("Ready in");
    List<ComponentStatus> status = stack.status();
    assertThat(status).allMatch(ComponentStatus::healthy);
    for (ComponentStatus server : status) {
      if (server.component() != Component.ICEBERG) {
        String commandLine = ProcessHandle.of(server.pid().orElseThrow()).orElseThrow().info().commandLine().orElse("");
        assertThat(commandLine).as(server.component().id()).contains(DIST.resolve("servers").toString());
      }
    }

    // When `status` runs with only the data dir (the data dir remembers its ports)
    Result reported = run(List.of("status", "--data-dir=" + dataDir));

    // Then every component is healthy
    assertThat(reported.exitCode()).as(reported.output()).isZero();
    assertThat(reported.output()).contains("healthy").doesNotContain("stopped");

    // When `down` runs, then every server is gone
    Result stopped = run(List.of("down", "--data-dir=" + dataDir));
    assertThat(stopped.exitCode()).as(stopped.output()).isZero();
    assertThat(stack.status()).filteredOn(server -> server.component().isProcess()).noneMatch(ComponentStatus::running);
  }

  @Test
  void versionAndHelpWork() throws Exception {
    Result version = run(List.of("--version"));
    Result help = run(List.of("--help"));

    assertThat(version.exitCode()).isZero();
    assertThat(version.output()).contains("trajlake 0.1.0-SNAPSHOT");
    assertThat(help.output()).contains("up").contains("down").contains("status");
  }

  private record Result(int exitCode, String output) {}

  private static Result run(List<String> args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>();
    argv.add(DIST.resolve("bin/trajlake").toString());
    argv.addAll(args);
    Path log = Files.createTempFile(dataDir, "cli-", ".out");
    Process process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("bin/trajlake " + args + " did not finish in 5 minutes");
    }
    return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
