package org.trajlake.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The local stack: real servers as separate processes on one machine, everything under one data
 * dir. {@link #up} starts what is not already running and waits until all of it is healthy; calling
 * it twice starts nothing twice. Servers outlive this object (and this JVM) unless the config asks
 * them to stop with their parent; {@link #down} stops them.
 *
 * <p>Layout of the data dir: {@code kafka/}, {@code registry/}, {@code opensearch/} (each server's
 * data and config), {@code catalog.db} and {@code warehouse/} (Iceberg), {@code logs/<component>.log},
 * {@code run/<component>.json} (pid and address of each running server).
 */
public final class LocalStack {
  private static final int LOG_LINES_ON_FAILURE = 25;
  private static final long PROBE_INTERVAL_MILLIS = 250;

  private final StackConfig config;
  private final Path runDir;
  private final Path logsDir;
  private final Map<Component, ManagedServer> servers = new EnumMap<>(Component.class);
  private JavaRuntime serverJava;

  public LocalStack(StackConfig config) {
    this.config = config;
    this.runDir = config.dataDir().resolve("run");
    this.logsDir = config.dataDir().resolve("logs");
  }

  public StackConfig config() {
    return config;
  }

  public Endpoints endpoints() {
    return Endpoints.of(config);
  }

  public Path logFile(Component component) {
    return logsDir.resolve(component.id() + ".log");
  }

  /**
   * Starts every requested component that is not running yet and waits until each is healthy.
   *
   * @throws StackException naming what failed, with the end of its log and what to do
   */
  public List<ComponentStatus> up(Set<Component> components) {
    return up(components, StackListener.SILENT);
  }

  /** {@link #up(Set)}, telling {@code listener} as each server starts and turns healthy. */
  public synchronized List<ComponentStatus> up(Set<Component> components, StackListener listener) {
    long began = System.nanoTime();
    try {
      Files.createDirectories(runDir);
      Files.createDirectories(logsDir);
      try (FileChannel channel = FileChannel.open(runDir.resolve(".lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
        SavedSettings.write(config);
        List<Starting> starting = new ArrayList<>();
        for (Component component : EnumSet.copyOf(components)) {
          if (!component.isProcess()) {
            continue;
          }
          Optional<ProcessHandle> running = running(component);
          if (running.isPresent()) {
            listener.alreadyRunning(component, running.get().pid());
          } else {
            Starting launched = start(server(component));
            listener.started(component, launched.process().pid());
            starting.add(launched);
          }
        }
        if (components.contains(Component.ICEBERG)) {
          new IcebergCatalogSetup(config).ensure();
          listener.healthy(Component.ICEBERG, Duration.ofNanos(System.nanoTime() - began));
        }
        awaitHealthy(starting, component -> listener.healthy(component, Duration.ofNanos(System.nanoTime() - began)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("local stack in " + config.dataDir() + ": " + e.getMessage(), e);
    }
    return status(components);
  }

  public List<ComponentStatus> up() {
    return up(Component.all());
  }

  /** The state of every component: running or not, pid, address, healthy or not. */
  public List<ComponentStatus> status() {
    return status(Component.all());
  }

  public List<ComponentStatus> status(Set<Component> components) {
    List<ComponentStatus> rows = new ArrayList<>();
    for (Component component : EnumSet.copyOf(components)) {
      rows.add(component.isProcess() ? processStatus(component) : icebergStatus());
    }
    return rows;
  }

  /** Stops every running server, the search node and the registry before the broker. */
  public synchronized List<Component> down() {
    return stop(Component.all());
  }

  /** Stops the given servers (SIGTERM, then SIGKILL after a grace period); returns those that ran. */
  public synchronized List<Component> stop(Set<Component> components) {
    List<Component> stopped = new ArrayList<>();
    for (Component component : List.of(Component.OPENSEARCH, Component.REGISTRY, Component.KAFKA)) {
      if (components.contains(component)) {
        Optional<ProcessHandle> handle = running(component);
        handle.ifPresent(ServerProcess::stop);
        handle.ifPresent(h -> stopped.add(component));
        deleteRunFile(component);
      }
    }
    return stopped;
  }

  /** Kills a server with SIGKILL, as a crash would. For fault-injection tests. */
  public synchronized boolean kill(Component component) {
    Optional<ProcessHandle> handle = running(component);
    handle.ifPresent(ServerProcess::kill);
    deleteRunFile(component);
    return handle.isPresent();
  }

  private Optional<ProcessHandle> running(Component component) {
    return RunFile.read(RunFile.pathFor(runDir, component)).flatMap(ServerProcess::live);
  }

  private ComponentStatus processStatus(Component component) {
    Optional<RunFile> runFile = RunFile.read(RunFile.pathFor(runDir, component));
    Optional<ProcessHandle> handle = runFile.flatMap(ServerProcess::live);
    String address = runFile.map(RunFile::address).orElseGet(() -> defaultAddress(component));
    if (handle.isEmpty()) {
      return new ComponentStatus(component, false, false, OptionalLong.empty(), address, "not running");
    }
    Health health = server(component).probe();
    return new ComponentStatus(component, true, health.healthy(), OptionalLong.of(handle.get().pid()), address,
        health.detail());
  }

  private ComponentStatus icebergStatus() {
    IcebergCatalogSetup iceberg = new IcebergCatalogSetup(config);
    Health health = iceberg.probe();
    return new ComponentStatus(Component.ICEBERG, Files.isRegularFile(iceberg.catalogFile()), health.healthy(),
        OptionalLong.empty(), iceberg.address(), health.detail());
  }

  private String defaultAddress(Component component) {
    Endpoints endpoints = endpoints();
    switch (component) {
      case KAFKA:
        return endpoints.bootstrapServers();
      case REGISTRY:
        return endpoints.registryUrl();
      case OPENSEARCH:
        return endpoints.openSearchUrl();
      default:
        return new IcebergCatalogSetup(config).address();
    }
  }

  private ManagedServer server(Component component) {
    return servers.computeIfAbsent(component, c -> {
      ServerHomes homes = ServerHomes.forThisProcess(config);
      switch (c) {
        case KAFKA:
          return new KafkaServer(config, homes, JavaRuntime.current());
        case REGISTRY:
          return new ApicurioServer(config, homes, serverJava());
        case OPENSEARCH:
          return new OpenSearchServer(config, homes, serverJava());
        default:
          throw new IllegalArgumentException(c + " is not a server process");
      }
    });
  }

  private JavaRuntime serverJava() {
    if (serverJava == null) {
      serverJava = JavaRuntimeLocator.forThisMachine(config).locate();
    }
    return serverJava;
  }

  private record Starting(ManagedServer server, Process process) {}

  private Starting start(ManagedServer server) throws IOException {
    for (Map.Entry<StackSetting, Integer> port : server.ports().entrySet()) {
      requireFree(port.getKey(), port.getValue());
    }
    server.prepare();
    Component component = server.component();
    Process process = ServerProcess.start(component, server.command(), config.dataDir(), logFile(component),
        config.stopWithParent());
    try {
      new RunFile(component.id(), process.pid(), server.address(), Instant.now().toString(),
          ServerProcess.marker(component, config.dataDir())).write(RunFile.pathFor(runDir, component));
    } catch (IOException | RuntimeException e) {
      // A server nobody can find again would hold its ports until someone kills it by hand.
      ServerProcess.kill(process.toHandle());
      throw e;
    }
    return new Starting(server, process);
  }

  private void requireFree(StackSetting setting, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(config.host(), port));
    } catch (IOException e) {
      throw new StackException("port " + port + " on " + config.host() + " (" + setting.describe()
          + ") is already in use by another process; stop it or choose another port");
    }
  }

  /** Waits for all starting servers at once: on two cores they come up faster side by side. */
  private void awaitHealthy(List<Starting> starting, Consumer<Component> onHealthy) {
    if (starting.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + config.startTimeout().toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(starting.size(), runnable -> {
      Thread thread = new Thread(runnable, "trajlake-stack-await");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<CompletableFuture<Void>> waits = starting.stream()
          .map(s -> CompletableFuture.runAsync(() -> {
            awaitHealthy(s, deadline);
            onHealthy.accept(s.server().component());
          }, pool))
          .toList();
      List<String> failures = new ArrayList<>();
      for (CompletableFuture<Void> wait : waits) {
        try {
          wait.join();
        } catch (CompletionException e) {
          failures.add(e.getCause() instanceof StackException ? e.getCause().getMessage() : String.valueOf(e.getCause()));
        }
      }
      if (!failures.isEmpty()) {
        throw new StackException(String.join("\n\n", failures)
            + "\n\nServers that did start keep running; `trajlake down` stops them.");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void awaitHealthy(Starting starting, long deadline) {
    ManagedServer server = starting.server();
    Component component = server.component();
    Health last = Health.down("not probed yet");
    while (System.nanoTime() < deadline) {
      if (!starting.process().isAlive()) {
        deleteRunFile(component);
        throw new StackException(component.id() + " exited with code " + starting.process().exitValue()
            + " while starting.\n" + LogTail.format(logFile(component), LOG_LINES_ON_FAILURE)
            + "\n  what to do: " + server.hint());
      }
      last = server.probe();
      if (last.healthy()) {
        server.afterHealthy();
        return;
      }
      try {
        Thread.sleep(PROBE_INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StackException("interrupted while waiting for " + component.id());
      }
    }
    throw new StackException(component.id() + " did not become healthy within " + config.startTimeout().toSeconds()
        + " s (" + StackSetting.START_TIMEOUT.describe() + "); last check: " + last.detail() + "\n"
        + LogTail.format(logFile(component), LOG_LINES_ON_FAILURE) + "\n  what to do: " + server.hint());
  }

  private void deleteRunFile(Component component) {
    try {
      Files.deleteIfExists(RunFile.pathFor(runDir, component));
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete the run file of " + component.id(), e);
    }
  }
}
