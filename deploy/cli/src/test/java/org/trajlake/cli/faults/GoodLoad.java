package org.trajlake.cli.faults;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.TrajectoryStatus;
import org.trajlake.schema.recorder.TrajectoryHandle;
import org.trajlake.schema.recorder.TrajectoryRecorder;

/**
 * A steady stream of good trajectories (through the {@link TrajectoryRecorder}, as agents write them)
 * and their outcomes, round robin over a few workspaces, on a thread of its own. A trajectory counts
 * as produced once Kafka acknowledged its END; every other one also gets two outcomes. A failed write
 * is kept and thrown by {@link #stop}: the load never loses a trajectory unnoticed.
 */
final class GoodLoad implements AutoCloseable {
  private static final Duration ACK_TIMEOUT = Duration.ofMinutes(3);

  private final TestPipeline pipeline;
  private final String name;
  private final List<String> workspaces;
  private final Duration pause;
  private final Map<String, Set<String>> produced = new TreeMap<>();
  private final AtomicInteger count = new AtomicInteger();
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private Thread thread;

  GoodLoad(TestPipeline pipeline, String name, List<String> workspaces, Duration pause) {
    this.pipeline = pipeline;
    this.name = name;
    this.workspaces = workspaces;
    this.pause = pause;
  }

  void start() {
    running.set(true);
    thread = new Thread(this::run, "good-load-" + name);
    thread.start();
  }

  /** Trajectories acknowledged so far. */
  int produced() {
    return count.get();
  }

  /** Waits until {@code more} trajectories beyond the current count are acknowledged. */
  void awaitMore(int more, Duration timeout) {
    int target = count.get() + more;
    await(name + ": " + more + " more good trajectories acknowledged").atMost(timeout)
        .until(() -> count.get() >= target || failure.get() != null);
    rethrow();
  }

  /** Stops writing and returns the trajectory ids acknowledged, by workspace. */
  Map<String, Set<String>> stop() {
    running.set(false);
    if (thread != null) {
      try {
        thread.join(ACK_TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    rethrow();
    synchronized (produced) {
      Map<String, Set<String>> copy = new TreeMap<>();
      produced.forEach((workspace, ids) -> copy.put(workspace, new TreeSet<>(ids)));
      return copy;
    }
  }

  @Override
  public void close() {
    running.set(false);
  }

  private void rethrow() {
    if (failure.get() != null) {
      throw new AssertionError(name + ": writing good trajectories failed", failure.get());
    }
  }

  private void run() {
    Map<String, TrajectoryRecorder> recorders = new LinkedHashMap<>();
    try (KafkaProducer<String, Outcome> outcomes = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.servers.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis()),
        new StringSerializer(), pipeline.topics.outcomes().valueSerde().serializer())) {
      for (String workspace : workspaces) {
        recorders.put(workspace, TrajectoryRecorder.create(Map.of("bootstrap.servers", pipeline.servers.bootstrapServers(),
            "schema.registry.url", pipeline.servers.registryUrl(), "workspace", workspace,
            "agent.id", "coder@" + name, "topic.prefix", pipeline.prefix, "producer.delivery.timeout.ms", (int) ACK_TIMEOUT.toMillis())));
      }
      for (int i = 0; running.get(); i++) {
        String workspace = workspaces.get(i % workspaces.size());
        String id = name + "-" + i;
        TrajectoryHandle trajectory = recorders.get(workspace).begin(id, "task-" + (i % 7));
        trajectory.observe("the build of service " + (i % 5) + " is red");
        String call = trajectory.toolCall("bash", "{\"cmd\":\"mvn -q test -pl service-" + (i % 5) + "\"}");
        trajectory.toolResult(call, "Tests run: 12, Failures: " + (i % 3), i % 3 != 0);
        trajectory.message("fixed the flaky test in service " + (i % 5));
        trajectory.end(TrajectoryStatus.SUCCESS).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (i % 2 == 0) {
          for (String kind : List.of("tests_passed", "pr_merged")) {
            outcomes.send(new ProducerRecord<>(pipeline.topics.outcomes().name(), id, Outcome.newBuilder()
                .setOutcomeId(id + "-" + kind).setTrajectoryId(id).setWorkspace(workspace).setKind(kind)
                .setValue(1.0).setTs(Instant.now()).setSource("good-load").setAttributes(Map.of()).build()))
                .get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
          }
        }
        synchronized (produced) {
          produced.computeIfAbsent(workspace, w -> new TreeSet<>()).add(id);
        }
        count.incrementAndGet();
        Thread.sleep(pause.toMillis());
      }
    } catch (Throwable e) {
      failure.set(e);
    } finally {
      recorders.values().forEach(TrajectoryRecorder::close);
    }
  }
}
