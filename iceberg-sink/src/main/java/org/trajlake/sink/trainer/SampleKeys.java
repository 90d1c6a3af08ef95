package org.trajlake.sink.trainer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Per-row sampling keys that depend only on the seed and the trajectory id, never on the order files
 * are read in, so a seed and a snapshot always give the same sample.
 *
 * <p>{@link #uniform} is a uniform number in (0, 1) from SHA-256 of (seed, id): keeping the n smallest
 * (bottom-k) is a uniform sample without replacement. {@link #weighted} is the Efraimidis–Spirakis key
 * u^(1/w) for weight w, as its logarithm ln(u)/w: keeping the n largest is a weighted sample without
 * replacement, and the logarithm keeps keys of small weights apart where u^(1/w) would underflow to 0.
 */
final class SampleKeys {
  /**
   * The weight of a trajectory whose reward is null, zero or negative (a reward below it is clipped to
   * it): such trajectories are still drawn, but only when few trajectories with a positive reward are
   * left, rather than never.
   */
  static final double MIN_WEIGHT = 1e-3;

  private SampleKeys() {}

  static double uniform(long seed, String trajectoryId) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    sha256.update(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
    sha256.update(trajectoryId.getBytes(StandardCharsets.UTF_8));
    long bits = ByteBuffer.wrap(sha256.digest()).getLong() >>> 11; // 53 bits, a double's precision
    return (bits + 0.5) / (1L << 53);
  }

  static double weighted(double uniform, Double reward) {
    double weight = reward == null || !(reward > MIN_WEIGHT) ? MIN_WEIGHT : reward;
    return Math.log(uniform) / weight;
  }
}
