package org.trajlake.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Java installation and its feature version (17, 21, 25, ...). */
record JavaRuntime(Path home, int featureVersion) {
  private static final Pattern RELEASE_VERSION = Pattern.compile("^JAVA_VERSION=\"([^\"]+)\"", Pattern.MULTILINE);

  Path javaExecutable() {
    return home.resolve("bin").resolve(isWindows() ? "java.exe" : "java");
  }

  /** The runtime this JVM runs on. */
  static JavaRuntime current() {
    return new JavaRuntime(Path.of(System.getProperty("java.home")), Runtime.version().feature());
  }

  /**
   * Reads the feature version of the Java home at {@code home} from its {@code release} file, which
   * every JDK and JRE since 9 ships; empty when {@code home} is not a Java home.
   */
  static Optional<JavaRuntime> at(Path home) {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release) || !Files.isRegularFile(home.resolve("bin").resolve("java"))) {
      return Optional.empty();
    }
    try {
      Matcher matcher = RELEASE_VERSION.matcher(Files.readString(release, StandardCharsets.UTF_8));
      if (!matcher.find()) {
        return Optional.empty();
      }
      return Optional.of(new JavaRuntime(home.toAbsolutePath().normalize(), featureOf(matcher.group(1))));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** "1.8.0_392" is 8, "21.0.5" is 21, "25" is 25. */
  static int featureOf(String version) {
    String[] parts = version.split("[._+-]");
    int first = Integer.parseInt(parts[0]);
    return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
  }

  private static boolean isWindows() {
    return System.getProperty("os.name", "").startsWith("Windows");
  }
}
