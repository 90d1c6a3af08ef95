package org.trajlake.recall.embed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers the vectors of recent texts. A trajectory is indexed once when assembled and again with
 * each reward; its summary is the same every time, and so is its vector: embedding it once is
 * enough. Recall queries repeat too. Bounded, least recently used first out.
 */
public final class CachingEmbedder implements Embedder {
  private final Embedder delegate;
  private final Map<String, float[]> cache;

  public CachingEmbedder(Embedder delegate, int capacity) {
    this.delegate = delegate;
    this.cache = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
        return size() > capacity;
      }
    };
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
    float[][] vectors = new float[texts.size()][];
    List<String> missing = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    synchronized (cache) {
      for (int i = 0; i < texts.size(); i++) {
        vectors[i] = cache.get(texts.get(i));
        if (vectors[i] == null) {
          missing.add(texts.get(i));
          positions.add(i);
        }
      }
    }
    if (!missing.isEmpty()) {
      List<float[]> computed = delegate.embed(missing);
      synchronized (cache) {
        for (int i = 0; i < computed.size(); i++) {
          vectors[positions.get(i)] = computed.get(i);
          cache.put(missing.get(i), computed.get(i));
        }
      }
    }
    return List.of(vectors);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
