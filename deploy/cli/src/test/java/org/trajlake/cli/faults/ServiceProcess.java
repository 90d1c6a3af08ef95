package org.trajlake.cli.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code bin/trajlake run <service> --set ...} process of the built distribution, as users run
 * it. Its output is appended to one log across restarts, so a restart waits for one more "is running"
 * line than the log held before.
 */
final class ServiceProcess {
  static final Path TRAJLAKE = Path.of("target", "trajlake", "bin", "trajlake").toAbsolutePath();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Pattern RECALL_URL = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/v1/recall");

  private final String service;
  private final List<String> command;
  private final Path log;
  private Process process;

  private ServiceProcess(String service, List<String> command, Path log) {
    this.service = service;
    this.command = command;
    this.log = log;
  }

  /** Starts {@code trajlake run <service>} with {@code settings} and waits until it says it is running. */
  static ServiceProcess start(String service, Map<String, String> settings, Path log) {
    List<String> command = new ArrayList<>(List.of(TRAJLAKE.toString(), "run", service));
    settings.forEach((key, value) -> {
      command.add("--set");
      command.add(key + "=" + value);
    });
    ServiceProcess started = new ServiceProcess(service, command, log);
    started.launch();
    return started;
  }

  /** SIGKILL (no shutdown hook, no final commit), then the same command again. */
  void killAndRestart() {
    kill();
    launch();
  }

  void kill() {
    process.destroyForcibly();
    waitForExit();
  }

  /** SIGTERM: the service commits what it holds and stops. */
  void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      waitForExit();
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  String name() {
    return service;
  }

  /** The recall endpoint's port the last start printed (recall and {@code all} only). */
  int recallPort() {
    Matcher matcher = RECALL_URL.matcher(logText());
    int port = -1;
    while (matcher.find()) {
      port = Integer.parseInt(matcher.group(1));
    }
    if (port < 0) {
      throw new AssertionError(service + " printed no recall URL: " + logText());
    }
    return port;
  }

  String logText() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void launch() {
    long runningBefore = runningLines();
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + command, e);
    }
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (runningLines() <= runningBefore) {
      if (!process.isAlive()) {
        throw new AssertionError(service + " exited while starting:\n" + logText());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(service + " did not say it is running within " + START_TIMEOUT + ":\n" + logText());
      }
      pause(200);
    }
  }

  private long runningLines() {
    return logText().lines().filter(line -> line.contains(" is running")).count();
  }

  private void waitForExit() {
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
