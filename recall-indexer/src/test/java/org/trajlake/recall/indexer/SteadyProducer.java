package org.trajlake.recall.indexer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.trajlake.recall.Trajectories;
import org.trajlake.recall.index.TrajectoryDocuments;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryStatus;

/**
 * A background writer of one trajectory every interval to a fixture's topics, and for every other one a
 * rewarded version as well, noting the external version each trajectory must end at in the index. The
 * load the outage and rebuild tests run the indexer under.
 */
final class SteadyProducer implements AutoCloseable {
  private final Map<String, Long> expected = new ConcurrentHashMap<>();
  private final AtomicBoolean producing = new AtomicBoolean(true);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread thread;

  private SteadyProducer(IndexerFixture fixture, String idPrefix, Duration interval) {
    thread = new Thread(() -> produce(fixture, idPrefix, interval), idPrefix + "producer");
  }

  /** Starts writing trajectories {@code idPrefix + i} for workspace team-a, one every {@code interval}. */
  static SteadyProducer start(IndexerFixture fixture, String idPrefix, Duration interval) {
    SteadyProducer producer = new SteadyProducer(fixture, idPrefix, interval);
    producer.thread.start();
    return producer;
  }

  private void produce(IndexerFixture fixture, String idPrefix, Duration interval) {
    String trajectories = fixture.topics.trajectories().name();
    String rewardedTrajectories = fixture.topics.rewardedTrajectories().name();
    try (KafkaProducer<String, Trajectory> plain = fixture.producer(fixture.topics.trajectories());
        KafkaProducer<String, RewardedTrajectory> rewarded = fixture.producer(fixture.topics.rewardedTrajectories())) {
      for (int i = 0; producing.get(); i++) {
        Trajectory t = Trajectories.coding(idPrefix + i, "team-a", "Steady task " + i, "{}", TrajectoryStatus.SUCCESS);
        plain.send(new ProducerRecord<>(trajectories, t.getTrajectoryId(), t)).get();
        expected.put(t.getTrajectoryId(), TrajectoryDocuments.version(1, 0));
        if (i % 2 == 1) {
          rewarded.send(new ProducerRecord<>(rewardedTrajectories, t.getTrajectoryId(),
              Trajectories.rewarded(t, 0.5, 1))).get();
          expected.put(t.getTrajectoryId(), TrajectoryDocuments.version(1, 1));
        }
        Thread.sleep(interval.toMillis());
      }
    } catch (Throwable e) {
      failure.set(e);
    }
  }

  /**
   * Stops writing and waits for the writer; returns each trajectory written with the version it must end
   * at. Throws if a write failed, since the expectations would then be wrong.
   */
  Map<String, Long> stop() throws InterruptedException {
    producing.set(false);
    thread.join();
    if (failure.get() != null) {
      throw new AssertionError("the steady producer failed", failure.get());
    }
    return Map.copyOf(expected);
  }

  @Override
  public void close() throws InterruptedException {
    producing.set(false);
    thread.join();
  }
}
