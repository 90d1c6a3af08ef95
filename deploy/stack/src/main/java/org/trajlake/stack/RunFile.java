package org.trajlake.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * What {@code up} leaves behind about a running server ({@code <data-dir>/run/<component>.json}), so a
 * later {@code status} or {@code down} from another process finds it: its pid, where it listens and
 * the marker that tells it apart from an unrelated process that reused the pid.
 */
record RunFile(String component, long pid, String address, String startedAt, String marker) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Path pathFor(Path runDir, Component component) {
    return runDir.resolve(component.id() + ".json");
  }

  static Optional<RunFile> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), RunFile.class));
    } catch (IOException e) {
      // A torn or foreign file says nothing reliable about a running server.
      return Optional.empty();
    }
  }

  void write(Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
