package org.trajlake.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Binary keys of the ordered stores. RocksDB orders keys by their bytes, so big-endian numbers give
 * numeric order: a trajectory's steps come out of a prefix scan in seq order, and the deadline
 * index comes out soonest first. Ids never contain U+0000 (the validator refuses control
 * characters), so the 0x00 separator cannot occur inside one.
 */
final class StoreKeys {
  private static final byte SEPARATOR = 0;

  private StoreKeys() {}

  /** The prefix every step of {@code trajectoryId} starts with. */
  static Bytes stepPrefix(String trajectoryId) {
    byte[] id = trajectoryId.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(id.length + 1).put(id).put(SEPARATOR).array());
  }

  /** A step's key: trajectory id, 0x00, seq as 8 big-endian bytes (seq is never negative). */
  static Bytes step(String trajectoryId, long seq) {
    byte[] id = trajectoryId.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(id.length + 1 + Long.BYTES).put(id).put(SEPARATOR).putLong(seq).array());
  }

  /** A deadline index key: the deadline as 8 big-endian bytes, then the trajectory id. */
  static Bytes deadline(long deadlineMs, String trajectoryId) {
    byte[] id = trajectoryId.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + id.length).putLong(deadlineMs).put(id).array());
  }

  /** The first key past every deadline up to and including {@code nowMs}. */
  static Bytes deadlinesThrough(long nowMs) {
    return Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong(nowMs + 1).array());
  }

  static Bytes earliestDeadline() {
    return Bytes.wrap(new byte[Long.BYTES]);
  }

  static long deadlineOf(Bytes key) {
    return ByteBuffer.wrap(key.get()).getLong();
  }

  static String trajectoryOf(Bytes deadlineKey) {
    byte[] bytes = deadlineKey.get();
    return new String(bytes, Long.BYTES, bytes.length - Long.BYTES, StandardCharsets.UTF_8);
  }
}
