package org.trajlake.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Command-line sizes ({@code 128MiB}, {@code 64MB}, {@code 1048576}) and ages ({@code 7d}, {@code 36h}, {@code PT90M}). */
final class Units {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]i?b?|b)?");
  private static final Pattern AGE = Pattern.compile("(\\d+)\\s*(d|h|m|s)");
  private static final Map<String, Long> MULTIPLIERS = Map.ofEntries(
      Map.entry("b", 1L),
      Map.entry("k", 1L << 10), Map.entry("kib", 1L << 10), Map.entry("kb", 1_000L),
      Map.entry("m", 1L << 20), Map.entry("mib", 1L << 20), Map.entry("mb", 1_000_000L),
      Map.entry("g", 1L << 30), Map.entry("gib", 1L << 30), Map.entry("gb", 1_000_000_000L),
      Map.entry("t", 1L << 40), Map.entry("tib", 1L << 40), Map.entry("tb", 1_000_000_000_000L));

  private Units() {}

  /** Bytes: a number with an optional unit (KiB, MiB, GiB, TiB are powers of 1024; KB, MB, GB, TB of 1000). */
  static final class Size implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw new TypeConversionException("'" + value + "' is not a size: use e.g. 128MiB, 64MB or 1048576");
      }
      String suffix = m.group(2) == null ? "b" : m.group(2);
      long unit = MULTIPLIERS.get(suffix.endsWith("i") ? suffix + "b" : suffix);
      return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
    }
  }

  /** An age: days, hours, minutes or seconds ({@code 7d}, {@code 36h}, {@code 90m}, {@code 30s}) or ISO-8601. */
  static final class Age implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Matcher m = AGE.matcher(value.trim().toLowerCase(Locale.ROOT));
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "d" -> Duration.ofDays(n);
          case "h" -> Duration.ofHours(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofSeconds(n);
        };
      }
      try {
        return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
      } catch (RuntimeException e) {
        throw new TypeConversionException("'" + value + "' is not an age: use e.g. 7d, 36h, 90m, 30s or PT36H");
      }
    }
  }
}
