package org.trajlake.stack.launch;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * Runs a server's main class and exits the JVM once the process that started it is gone, so servers
 * started for a test run never outlive it, even when the test JVM is killed. Runs inside the server
 * JVM; uses nothing but the JDK so it can sit on any server's classpath.
 *
 * <p>Usage: {@code ParentWatchdog <parent-pid>@<parent-start-epoch-millis> <main-class> [args...]}. The
 * start time guards against the parent's pid being reused by another process.
 */
public final class ParentWatchdog {
  private static final long POLL_MILLIS = 1_000;
  private static final long HALT_AFTER_MILLIS = 20_000;

  private ParentWatchdog() {}

  /** The parent identity argument for the current process. */
  public static String describe(ProcessHandle parent) {
    long started = parent.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    return parent.pid() + "@" + started;
  }

  public static void main(String[] args) throws Throwable {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: ParentWatchdog <pid>@<start-millis> <main-class> [args...]");
    }
    String[] parent = args[0].split("@", 2);
    long pid = Long.parseLong(parent[0]);
    long startMillis = Long.parseLong(parent[1]);
    Thread watcher = new Thread(() -> watch(pid, startMillis), "trajlake-parent-watchdog");
    watcher.setDaemon(true);
    watcher.start();

    Method main = Class.forName(args[1]).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void watch(long pid, long startMillis) {
    while (isAlive(pid, startMillis)) {
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
    System.err.println("trajlake: parent process " + pid + " is gone; stopping this server");
    // exit() runs the server's shutdown hooks (a clean broker shutdown); halt() if those hang.
    Thread halter = new Thread(() -> {
      try {
        Thread.sleep(HALT_AFTER_MILLIS);
      } catch (InterruptedException ignored) {
        // fall through to halt
      }
      Runtime.getRuntime().halt(3);
    }, "trajlake-parent-watchdog-halt");
    halter.setDaemon(true);
    halter.start();
    System.exit(0);
  }

  private static boolean isAlive(long pid, long startMillis) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    return startMillis == 0
        || handle.get().info().startInstant().map(start -> start.toEpochMilli() == startMillis).orElse(true);
  }
}
