package org.trajlake.runtime;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigException;

/**
 * The whole of a service's {@code main}: read {@code [--config FILE] [--set KEY=VALUE]...}, start, run until SIGTERM or
 * Ctrl-C, close cleanly. A bad setting prints what to fix and exits with 2.
 */
public final class ServiceMain {
  private ServiceMain() {}

  public static void run(String name, String[] args, Function<Settings, ? extends AutoCloseable> start) {
    Optional<Path> configFile = Optional.empty();
    Map<String, String> explicit = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if ("--config".equals(args[i]) && i + 1 < args.length) {
        configFile = Optional.of(Path.of(args[++i]));
      } else if ("--set".equals(args[i]) && i + 1 < args.length && args[i + 1].contains("=")) {
        String[] pair = args[++i].split("=", 2);
        explicit.put(pair[0].trim(), pair[1].trim());
      } else {
        System.err.println(name + ": unknown argument '" + args[i] + "'; usage: [--config FILE] [--set KEY=VALUE]...");
        System.exit(2);
      }
    }
    AutoCloseable service;
    try {
      service = start.apply(Settings.load(explicit, System.getenv(), configFile));
    } catch (ConfigException | IllegalStateException e) {
      System.err.println(name + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    awaitShutdown(service);
  }

  /** Blocks until the JVM is asked to stop, then closes {@code service}. */
  public static void awaitShutdown(AutoCloseable service) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        service.close();
      } catch (Exception e) {
        System.err.println("error while stopping: " + e);
      } finally {
        stopped.countDown();
      }
    }, "trajlake-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
