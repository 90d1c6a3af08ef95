package org.trajlake.stack;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the laid-out home of each server (built by the deploy/servers modules): the
 * {@link StackSetting#SERVERS_DIR} setting, else the {@code servers/} folder of the distribution this
 * code runs from, else the build tree ({@code deploy/servers/<name>/target/<name>}) above this code
 * or the working directory.
 */
final class ServerHomes {
  private final Optional<Path> configured;
  private final List<Path> searchStarts;

  ServerHomes(Optional<Path> configured, List<Path> searchStarts) {
    this.configured = configured;
    this.searchStarts = searchStarts;
  }

  static ServerHomes forThisProcess(StackConfig config) {
    // The code's own location first: a distribution uses the servers shipped beside its lib/,
    // whatever directory it is run from.
    List<Path> starts = new ArrayList<>();
    codeLocation().ifPresent(starts::add);
    starts.add(Path.of("").toAbsolutePath());
    return new ServerHomes(config.serversDir(), starts);
  }

  /**
   * The home of server {@code name}; {@code marker} is a file or folder every valid home has, so a
   * half-built home is not mistaken for a good one.
   */
  Path home(String name, String marker) {
    Set<Path> looked = new LinkedHashSet<>();
    if (configured.isPresent()) {
      Path home = configured.get().resolve(name);
      if (Files.exists(home.resolve(marker))) {
        return home;
      }
      throw new StackException("the " + name + " server is not in " + home + " (no " + marker + " there), "
          + "which " + StackSetting.SERVERS_DIR.describe() + " points at");
    }
    for (Path start : searchStarts) {
      for (Path dir = start; dir != null; dir = dir.getParent()) {
        for (Path home : List.of(dir.resolve("servers").resolve(name),
            dir.resolve("deploy/servers").resolve(name).resolve("target").resolve(name))) {
          if (Files.exists(home.resolve(marker))) {
            return home;
          }
          looked.add(home);
        }
      }
    }
    throw new StackException("the " + name + " server home was not found. Build it with `mvn -B package "
        + "-DskipTests` in the project root, or point " + StackSetting.SERVERS_DIR.describe() + " at a folder "
        + "holding kafka/, apicurio/ and opensearch/. Looked in:\n    "
        + String.join("\n    ", looked.stream().limit(8).map(Path::toString).toList()));
  }

  /**
   * Where this module's classes are: a jar in a distribution's lib/, or target/classes in a build.
   * The OpenSearch and watchdog mains run from here in the child JVMs.
   */
  static Optional<Path> codeLocation() {
    try {
      return Optional.of(Path.of(ServerHomes.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      return Optional.empty();
    }
  }
}
