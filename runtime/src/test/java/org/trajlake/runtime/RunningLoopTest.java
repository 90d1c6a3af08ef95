package org.trajlake.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class RunningLoopTest {
  @Test
  void aLoopThatDoesNotStopIsLeftWithWhereItIsStuck() throws Exception {
    // Given a loop thread, and a thread of its pool, stuck where stopping the loop cannot reach
    CountDownLatch never = new CountDownLatch(1);
    Thread loop = new Thread(() -> await(never), "stuck-service");
    Thread pool = new Thread(() -> await(never), "stuck-service-bulk");
    Thread other = new Thread(() -> await(never), "another-service");
    List.of(loop, pool, other).forEach(thread -> {
      thread.setDaemon(true);
      thread.start();
    });
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RunningLoop running = new RunningLoop("stuck-service", () -> { }, loop, Duration.ofMillis(50), null, registry, List.of());

    // When it is closed, and the stacks of its threads are asked for
    running.close();
    String stacks = RunningLoop.stacks(List.of("stuck-service"));

    // Then close returns after the stop timeout, and the stacks name both threads and where they wait
    assertThat(loop.isAlive()).isTrue();
    assertThat(stacks).contains("\"stuck-service\" WAITING").contains("\"stuck-service-bulk\" WAITING")
        .contains("CountDownLatch.await").doesNotContain("another-service");
    never.countDown();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
