package org.trajlake.recall.indexer;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import org.trajlake.recall.embed.Embedder;

/** Times each call that has texts to embed (cache hits included): what the indexer waits for. */
final class TimedEmbedder implements Embedder {
  private final Embedder delegate;
  private final Timer timer;
  // Per thread: bulk requests sent at once each embed on their own thread.
  private final ThreadLocal<long[]> threadNanos = ThreadLocal.withInitial(() -> new long[1]);

  TimedEmbedder(Embedder delegate, Timer timer) {
    this.delegate = delegate;
    this.timer = timer;
  }

  @Override
  public String model() {
    return delegate.model();
  }

  @Override
  public int dimension() {
    return delegate.dimension();
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    if (texts.isEmpty()) {
      return delegate.embed(texts);
    }
    long started = System.nanoTime();
    try {
      return delegate.embed(texts);
    } finally {
      long nanos = System.nanoTime() - started;
      timer.record(Duration.ofNanos(nanos));
      threadNanos.get()[0] += nanos;
    }
  }

  /** Time the calling thread spent embedding so far: what a write spent on it is the difference across the call. */
  long threadNanos() {
    return threadNanos.get()[0];
  }

  @Override
  public void close() {
    delegate.close();
  }
}
