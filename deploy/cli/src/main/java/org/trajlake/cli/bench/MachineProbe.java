package org.trajlake.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What a benchmark's figures depend on beyond "2 cores": which vector instructions the CPU has, how
 * fast one of its cores runs a fixed piece of work, and how much CPU time the hypervisor took away
 * during the run. The same project on the same nominal machine gave 1,900 and 600 agent-vector
 * trajectories/s a few hours apart; with these beside the figures a reader can tell a slower
 * machine from a slower build.
 */
public final class MachineProbe {
  /** Vector extensions worth naming, widest first: HNSW distances and ONNX int8 kernels use them. */
  private static final List<String> VECTOR_FLAGS = List.of("avx512f", "avx512_vnni", "avx512_bf16", "amx_int8",
      "avx_vnni", "avx2", "fma", "neon", "asimd", "sve");
  private static final int DIMENSION = 384;
  private static final Path PROC_STAT = Path.of("/proc/stat");
  private static final Path CPUINFO = Path.of("/proc/cpuinfo");

  private static volatile Double referenceScore;

  private MachineProbe() {}

  /**
   * The CPU's vector extensions among those that matter here, e.g. {@code "avx2 fma"}; {@code
   * "none of avx2, avx512f, ..."} when it has none, empty where Linux does not say.
   */
  public static Optional<String> vectorExtensions() {
    return cpuFlags().map(flags -> {
      List<String> present = VECTOR_FLAGS.stream().filter(flags::contains).toList();
      return present.isEmpty() ? "none of " + String.join(", ", VECTOR_FLAGS) : String.join(" ", present);
    });
  }

  /**
   * Millions of 384-dimension float dot products per second on one thread, measured once per JVM
   * (about half a second): a fixed workload to compare machines and days by.
   */
  public static double referenceScore() {
    Double score = referenceScore;
    if (score == null) {
      score = measureReferenceScore();
      referenceScore = score;
    }
    return score;
  }

  /** The CPU time counters now, to take {@link CpuTimes#stealPercentSince} against later. */
  public static Optional<CpuTimes> cpuTimes() {
    return firstLine(PROC_STAT, line -> line.startsWith("cpu ")).map(CpuTimes::parse);
  }

  /** The CPU model as Linux names it; empty elsewhere. */
  static Optional<String> cpuModel() {
    return firstLine(CPUINFO, line -> line.startsWith("model name")).map(MachineProbe::value);
  }

  /**
   * The all-CPU line of {@code /proc/stat}, in clock ticks.
   *
   * @param total every state's ticks summed (user, nice, system, idle, iowait, irq, softirq, steal)
   * @param steal ticks a virtual CPU was ready to run but the hypervisor ran something else
   */
  public record CpuTimes(long total, long steal) {
    static CpuTimes parse(String line) {
      String[] fields = line.trim().split("\\s+");
      long total = 0;
      // cpu user nice system idle iowait irq softirq steal [guest guest_nice]: guest time is already in user.
      for (int i = 1; i <= Math.min(8, fields.length - 1); i++) {
        total += Long.parseLong(fields[i]);
      }
      long steal = fields.length > 8 ? Long.parseLong(fields[8]) : 0;
      return new CpuTimes(total, steal);
    }

    /** The share of the CPU time since {@code earlier} that was stolen, in percent. */
    public double stealPercentSince(CpuTimes earlier) {
      long elapsed = total - earlier.total;
      return elapsed <= 0 ? 0 : 100.0 * (steal - earlier.steal) / elapsed;
    }
  }

  /** The run's steal as a figure, when Linux counts it. */
  public static Optional<BenchFigure> stealFigure(Optional<CpuTimes> before) {
    return before.flatMap(start -> cpuTimes().map(end -> new BenchFigure("machine: CPU time stolen by the hypervisor",
        end.stealPercentSince(start), "%", "share of all cores' time during the run (/proc/stat steal)")));
  }

  private static Optional<List<String>> cpuFlags() {
    return firstLine(CPUINFO, line -> line.startsWith("flags") || line.startsWith("Features"))
        .map(line -> Arrays.asList(value(line).split("\\s+")));
  }

  /** What follows the colon of a {@code /proc/cpuinfo} line. */
  private static String value(String line) {
    return line.substring(line.indexOf(':') + 1).trim();
  }

  /** The first line of a Linux {@code /proc} file that {@code wanted} accepts; empty where there is no such file. */
  private static Optional<String> firstLine(Path file, Predicate<String> wanted) {
    try (Stream<String> lines = Files.exists(file) ? Files.lines(file) : Stream.empty()) {
      return lines.filter(wanted).findFirst();
    } catch (IOException | UncheckedIOException e) {
      return Optional.empty();
    }
  }

  private static double measureReferenceScore() {
    SplittableRandom random = new SplittableRandom(42);
    float[][] vectors = new float[256][DIMENSION];
    for (float[] vector : vectors) {
      for (int d = 0; d < DIMENSION; d++) {
        vector[d] = (float) random.nextDouble(-1, 1);
      }
    }
    double sink = 0;
    // Warm-up, so the JIT has compiled the loop before it is timed.
    for (long end = System.nanoTime() + 200_000_000L; System.nanoTime() < end; ) {
      sink += products(vectors, 10_000);
    }
    long start = System.nanoTime();
    long count = 0;
    while (System.nanoTime() - start < 400_000_000L) {
      sink += products(vectors, 10_000);
      count += 10_000;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    // The sum is used so the JIT cannot drop the work; it never is NaN for these inputs.
    return Double.isNaN(sink) ? 0 : count / seconds / 1e6;
  }

  private static double products(float[][] vectors, int count) {
    double sum = 0;
    for (int i = 0; i < count; i++) {
      float[] a = vectors[i & 255];
      float[] b = vectors[(i * 7 + 3) & 255];
      float dot = 0;
      for (int d = 0; d < DIMENSION; d++) {
        dot += a[d] * b[d];
      }
      sum += dot;
    }
    return sum;
  }
}
