package org.trajlake.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoopWatchTest {
  private final AtomicLong now = new AtomicLong();

  @Test
  void aLoopThatStopsComingRoundIsReportedWithTheSettingThenClearedWhenItMovesAgain() {
    // Given a watch that allows 60 s without progress
    LoopWatch watch = new LoopWatch("recall-indexer", "indexer.stall.ms", Duration.ofSeconds(60), List.of("recall-indexer"),
        now::get, null);

    // When the loop beats every 30 s, then goes silent for 95 s
    advance(30);
    watch.beat();
    advance(30);
    watch.beat();
    Boolean healthyWhileBeating = watch.stall().isEmpty();
    advance(59);
    Boolean healthyWithinTheLimit = watch.stall().isEmpty();
    advance(36);

    // Then it counts as stuck only past the limit, and the reason names the silence and the key
    assertThat(healthyWhileBeating).isTrue();
    assertThat(healthyWithinTheLimit).isTrue();
    assertThat(watch.stall()).hasValueSatisfying(reason -> assertThat(reason)
        .contains("recall-indexer loop has made no progress for 95.0 s").contains("indexer.stall.ms (60000 ms)"));
    watch.check(); // logs the stall with the stacks

    // And one beat clears it
    watch.beat();
    assertThat(watch.stall()).isEmpty();
    watch.check();
  }

  @Test
  void aZeroLimitWatchesNothing() {
    // Given a watch turned off
    LoopWatch watch = LoopWatch.start("recall-indexer", "indexer.stall.ms", Duration.ZERO, List.of("recall-indexer"));

    // Then however long the loop is silent, it is never reported
    assertThat(watch.stall()).isEmpty();
    watch.close();
  }

  @Test
  void theWatchThreadReportsAStallOnItsOwn() throws Exception {
    // Given a started watch with a short limit, and a loop that never beats
    LoopWatch watch = LoopWatch.start("silent-service", "service.stall.ms", Duration.ofMillis(200), List.of("silent-service"));
    try {
      // When more than the limit passes
      Thread.sleep(400);

      // Then the stall is reported, and the watch's own thread runs under the loop's name
      assertThat(watch.stall()).isPresent();
      assertThat(Thread.getAllStackTraces().keySet()).anyMatch(thread -> thread.getName().equals("silent-service-watch"));
    } finally {
      watch.close();
    }
  }

  @Test
  void aCheckThatFailsDoesNotStopTheChecksAfterIt() throws Exception {
    // Given a started watch whose clock fails once, in its first scheduled check
    AtomicLong calls = new AtomicLong();
    LoopWatch watch = LoopWatch.start("flaky-service", "service.stall.ms", Duration.ofMillis(200), List.of("flaky-service"),
        () -> {
          if (calls.incrementAndGet() == 2) {
            throw new IllegalStateException("clock failed");
          }
          return System.nanoTime();
        });
    try {
      // When the loop stays silent past the limit
      Thread.sleep(700);

      // Then a later check still ran and logged the stall
      assertThat(calls.get()).isGreaterThan(2);
      assertThat(watch.reported()).isTrue();
    } finally {
      watch.close();
    }
  }

  private void advance(long seconds) {
    now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
  }
}
