package org.trajlake.schema.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A least-recently-used map with a fixed capacity. Thread-safe; the value of a missing key is
 * computed outside the lock, so a slow registry call never blocks readers of other keys (two
 * threads may compute the same value once each, which is harmless for immutable answers).
 */
final class BoundedCache<K, V> {
  private final Map<K, V> entries;

  BoundedCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("cache capacity must be at least 1, was " + capacity);
    }
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > capacity;
          }
        };
  }

  V get(K key, Function<K, V> compute) {
    V cached = getIfPresent(key);
    if (cached != null) {
      return cached;
    }
    V value = compute.apply(key);
    if (value != null) {
      put(key, value);
    }
    return value;
  }

  V getIfPresent(K key) {
    synchronized (entries) {
      return entries.get(key);
    }
  }

  void put(K key, V value) {
    synchronized (entries) {
      entries.put(key, value);
    }
  }

  int size() {
    synchronized (entries) {
      return entries.size();
    }
  }
}
