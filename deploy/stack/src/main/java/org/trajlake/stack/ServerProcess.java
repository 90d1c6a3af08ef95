package org.trajlake.stack;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.trajlake.stack.launch.ParentWatchdog;

/**
 * Starts and stops server JVMs. Each gets a marker system property naming its component and data
 * dir, so a pid found in a run file is only trusted while it still belongs to that server.
 */
final class ServerProcess {
  private static final Path SETSID = Path.of("/usr/bin/setsid");
  private static final Duration GRACEFUL_STOP = Duration.ofSeconds(30);

  private ServerProcess() {}

  static String marker(Component component, Path dataDir) {
    return "-Dtrajlake.component=" + component.id() + "@" + dataDir;
  }

  /** Starts the command with stdout and stderr appended to {@code logFile}. */
  static Process start(Component component, ServerCommand command, Path dataDir, Path logFile, boolean stopWithParent)
      throws IOException {
    List<String> argv = new ArrayList<>();
    if (!stopWithParent && Files.isExecutable(SETSID)) {
      // A session of its own: closing the terminal that ran `trajlake up` must not hang up the servers.
      argv.add(SETSID.toString());
    }
    argv.add(command.java().javaExecutable().toString());
    argv.addAll(command.jvmArgs());
    argv.add(marker(component, dataDir));
    List<String> classpath = new ArrayList<>(command.classpath());
    if (stopWithParent) {
      ServerHomes.codeLocation().ifPresent(location -> classpath.add(0, location.toString()));
    }
    argv.add("-cp");
    argv.add(String.join(File.pathSeparator, classpath));
    if (stopWithParent) {
      ProcessHandle self = ProcessHandle.current();
      argv.add(ParentWatchdog.class.getName());
      argv.add(ParentWatchdog.describe(self));
    }
    argv.add(command.mainClass());
    argv.addAll(command.args());

    Files.createDirectories(logFile.getParent());
    Files.writeString(logFile, "\n==== trajlake: starting " + component.id() + " at " + Instant.now() + "\n==== "
        + String.join(" ", argv) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    return new ProcessBuilder(argv)
        .directory(command.workingDir().toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
  }

  /** The live process a run file names, if it is still the server it was. */
  static Optional<ProcessHandle> live(RunFile runFile) {
    return ProcessHandle.of(runFile.pid())
        .filter(ProcessHandle::isAlive)
        .filter(handle -> handle.info().commandLine().map(line -> line.contains(runFile.marker())).orElse(true));
  }

  /** SIGTERM, a grace period for a clean shutdown, then SIGKILL. */
  static void stop(ProcessHandle handle) {
    handle.destroy();
    if (!awaitExit(handle, GRACEFUL_STOP)) {
      handle.destroyForcibly();
      awaitExit(handle, Duration.ofSeconds(10));
    }
  }

  /** SIGKILL at once, as a crash would; for fault tests. */
  static void kill(ProcessHandle handle) {
    handle.destroyForcibly();
    awaitExit(handle, Duration.ofSeconds(10));
  }

  private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
    try {
      handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return !handle.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !handle.isAlive();
    }
  }
}
