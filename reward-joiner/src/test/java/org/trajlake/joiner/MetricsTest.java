package org.trajlake.joiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trajlake.joiner.Records.outcome;
import static org.trajlake.joiner.Records.trajectory;

import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sees on the Prometheus endpoint after some traffic. */
class MetricsTest {
  @TempDir
  Path stateDir;

  @Test
  void recordsInOutDeadLettersAndLatencyAreCounted() {
    try (JoinerDriver joiner = new JoinerDriver(stateDir)) {
      // Given a trajectory, an outcome written 3 s before it is processed, and a bad record
      joiner.send(trajectory("t-1"));
      joiner.sendOutcomeAt(outcome("o-1", "t-1", "tests_passed", 1.0), joiner.now().minusSeconds(3));
      joiner.sendRaw(false, JoinerDriver.utf8("t-1"), JoinerDriver.utf8("garbage"), new RecordHeaders());

      // Then the meters say so
      assertThat(joiner.counter("trajlake.records.in", "topic", "trajlake.trajectories")).isEqualTo(1.0);
      assertThat(joiner.counter("trajlake.records.in", "topic", "trajlake.outcomes")).isEqualTo(2.0);
      assertThat(joiner.counter("trajlake.records.out", "topic", "trajlake.trajectories.rewarded")).isEqualTo(1.0);
      assertThat(joiner.counter("trajlake.records.out", "topic", "trajlake.dlq")).isEqualTo(1.0);
      assertThat(joiner.counter("trajlake.dlq", "reason", "no-magic-byte")).isEqualTo(1.0);
      Timer latency = joiner.meters.find("trajlake.e2e.latency").timer();
      assertThat(latency.count()).isEqualTo(1);
      assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(Duration.ofSeconds(3).toMillis());
    }
  }
}
