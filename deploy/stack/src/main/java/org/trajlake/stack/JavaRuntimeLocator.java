package org.trajlake.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds a Java runtime new enough for Apicurio Registry and OpenSearch 3.x (21+): the
 * {@link StackSetting#SERVER_JAVA_HOME} setting first, then {@code JAVA_HOME}, then the usual JVM
 * folders, newest first. When none qualifies the error lists everything it looked at.
 */
final class JavaRuntimeLocator {
  static final int MINIMUM_FEATURE = 21;

  private final Optional<Path> setting;
  private final Map<String, String> env;
  private final List<Path> jvmFolders;

  JavaRuntimeLocator(Optional<Path> setting, Map<String, String> env, List<Path> jvmFolders) {
    this.setting = setting;
    this.env = env;
    this.jvmFolders = jvmFolders;
  }

  static JavaRuntimeLocator forThisMachine(StackConfig config) {
    Path userHome = Path.of(System.getProperty("user.home"));
    return new JavaRuntimeLocator(config.serverJavaHome(), System.getenv(), List.of(
        Path.of("/usr/lib/jvm"),
        Path.of("/usr/java"),
        Path.of("/opt/java"),
        Path.of("/opt"),
        userHome.resolve(".sdkman/candidates/java"),
        userHome.resolve(".jdks"),
        Path.of("/Library/Java/JavaVirtualMachines")));
  }

  JavaRuntime locate() {
    if (setting.isPresent()) {
      Path home = setting.get();
      JavaRuntime runtime = JavaRuntime.at(home).orElseThrow(() -> new StackException(
          StackSetting.SERVER_JAVA_HOME.describe() + " is " + home + ", which is not a Java home "
              + "(no bin/java and release file there)"));
      if (runtime.featureVersion() < MINIMUM_FEATURE) {
        throw new StackException(StackSetting.SERVER_JAVA_HOME.describe() + " is " + home + ", a Java "
            + runtime.featureVersion() + "; Apicurio Registry and OpenSearch need Java " + MINIMUM_FEATURE + "+");
      }
      return runtime;
    }
    List<String> looked = new ArrayList<>();
    looked.add(StackSetting.SERVER_JAVA_HOME.describe() + ": not set");
    String javaHome = env.get("JAVA_HOME");
    if (javaHome != null && !javaHome.isBlank()) {
      Optional<JavaRuntime> runtime = JavaRuntime.at(Path.of(javaHome));
      if (runtime.isPresent() && runtime.get().featureVersion() >= MINIMUM_FEATURE) {
        return runtime.get();
      }
      looked.add("JAVA_HOME=" + javaHome + runtime.map(r -> " (Java " + r.featureVersion() + ")").orElse(" (not a Java home)"));
    } else {
      looked.add("JAVA_HOME: not set");
    }
    List<JavaRuntime> candidates = new ArrayList<>();
    for (Path folder : jvmFolders) {
      for (Path home : homesUnder(folder)) {
        JavaRuntime.at(home).ifPresent(candidates::add);
      }
    }
    candidates.sort(Comparator.comparingInt(JavaRuntime::featureVersion).reversed()
        .thenComparing(runtime -> runtime.home().toString()));
    for (JavaRuntime candidate : candidates) {
      if (candidate.featureVersion() >= MINIMUM_FEATURE) {
        return candidate;
      }
      looked.add(candidate.home() + " (Java " + candidate.featureVersion() + ")");
    }
    throw new StackException("no Java " + MINIMUM_FEATURE + "+ runtime found; Apicurio Registry and OpenSearch "
        + "need one (the project itself builds and runs on Java 17). Looked at:\n    " + String.join("\n    ", looked)
        + "\n  Install a JDK " + MINIMUM_FEATURE + " or newer (for example Debian's openjdk-21-jdk-headless or "
        + "Temurin 21) and point " + StackSetting.SERVER_JAVA_HOME.describe() + " at its home.");
  }

  /** Java homes directly under {@code folder}, including macOS bundles (Contents/Home). */
  private static List<Path> homesUnder(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(folder)) {
      return children.map(child -> Files.isDirectory(child.resolve("Contents/Home")) ? child.resolve("Contents/Home") : child)
          .filter(Files::isDirectory)
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
