package org.trajlake.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a service loop that has stopped coming round. The loop and its helpers call {@link #beat}
 * whenever they make progress (a poll returned, a request finished); when no beat came for {@code
 * stallAfter}, {@link #stall} says so, for {@code /health} to answer DOWN with it (an orchestrator
 * can then restart the service), and the log gets the stacks of the loop's threads once, while it
 * is stuck rather than only at shutdown. A loop blocked in native code or in an uninterruptible wait
 * answers neither its wakeup nor a timeout, and without this it looks healthy and idle.
 */
public final class LoopWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoopWatch.class);

  private final String name;
  private final String setting;
  private final Duration stallAfter;
  private final List<String> threadPrefixes;
  private final LongSupplier clock;
  private final ScheduledExecutorService checker;
  private volatile long lastBeat;
  // Written by the checker thread only.
  private volatile boolean reported;

  LoopWatch(String name, String setting, Duration stallAfter, List<String> threadPrefixes, LongSupplier clock,
      ScheduledExecutorService checker) {
    this.name = name;
    this.setting = setting;
    this.stallAfter = stallAfter;
    this.threadPrefixes = List.copyOf(threadPrefixes);
    this.clock = clock;
    this.checker = checker;
    this.lastBeat = clock.getAsLong();
  }

  /** What a stall setting accepts, in milliseconds: 0 (watch nothing) or 1 s to a day. */
  public static ConfigDef.Validator stallSetting() {
    return (name, value) -> {
      long millis = (Long) value;
      if (millis != 0 && (millis < 1_000 || millis > 86_400_000)) {
        throw new ConfigException(name, value, "expected 0 (off) or 1000 to 86400000 ms");
      }
    };
  }

  /**
   * Watches loop {@code name}: a stall is reported after {@code stallAfter} without a beat, and the
   * stacks logged are those of the threads whose names start with one of {@code threadPrefixes}.
   * A zero {@code stallAfter} watches nothing.
   *
   * @param setting the key that sets {@code stallAfter}, named in the report
   */
  public static LoopWatch start(String name, String setting, Duration stallAfter, List<String> threadPrefixes) {
    return start(name, setting, stallAfter, threadPrefixes, System::nanoTime);
  }

  static LoopWatch start(String name, String setting, Duration stallAfter, List<String> threadPrefixes,
      LongSupplier clock) {
    if (stallAfter.isZero()) {
      return new LoopWatch(name, setting, stallAfter, threadPrefixes, clock, null);
    }
    ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, name + "-watch");
      thread.setDaemon(true);
      return thread;
    });
    LoopWatch watch = new LoopWatch(name, setting, stallAfter, threadPrefixes, clock, checker);
    long period = Math.max(100, Math.min(5_000, stallAfter.toMillis() / 4));
    checker.scheduleWithFixedDelay(watch::checkAndCarryOn, period, period, TimeUnit.MILLISECONDS);
    return watch;
  }

  /** The loop made progress. Cheap: any thread, as often as it likes. */
  public void beat() {
    lastBeat = clock.getAsLong();
  }

  /** Why the loop counts as stuck: no beat for longer than {@code stallAfter}. Empty while it comes round. */
  public Optional<String> stall() {
    return silence().map(silent -> String.format("the %s loop has made no progress for %.1f s, longer than %s (%d ms) "
        + "allows; its threads' stacks are in the log", name, silent / 1e9, setting, stallAfter.toMillis()));
  }

  /** How long the loop has been silent, in nanoseconds, once that is longer than allowed. */
  private Optional<Long> silence() {
    long silent = clock.getAsLong() - lastBeat;
    return stallAfter.isZero() || silent <= stallAfter.toNanos() ? Optional.empty() : Optional.of(silent);
  }

  /**
   * One scheduled check. A scheduled task that throws is never run again, so a failure here (in
   * taking the threads' stacks, say) is logged and the next check comes as planned: {@code /health}
   * works the stall out for itself, but the log line with the stacks comes from here.
   */
  private void checkAndCarryOn() {
    try {
      check();
    } catch (RuntimeException e) {
      LOG.error("{}: could not check the loop for progress; the next check follows as planned", name, e);
    }
  }

  /** Whether the current stall has been logged. */
  boolean reported() {
    return reported;
  }

  /** Logs a stall once when it starts, with where the threads are, and once when the loop comes round again. */
  void check() {
    Optional<Long> silent = silence();
    if (silent.isPresent() && !reported) {
      reported = true;
      LOG.warn("{}: no progress since {} ({} ms, longer than {} allows), and /health answers DOWN. Where its threads "
          + "are:{}", name, Instant.now().minusNanos(silent.get()), TimeUnit.NANOSECONDS.toMillis(silent.get()), setting,
          RunningLoop.stacks(threadPrefixes));
    } else if (silent.isEmpty() && reported) {
      reported = false;
      LOG.info("{}: the loop is making progress again", name);
    }
  }

  @Override
  public void close() {
    if (checker != null) {
      checker.shutdownNow();
    }
  }
}
