package org.trajlake.sink.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesFileTest {
  @TempDir
  Path dir;

  @Test
  void anExportGetsTheModeOfAnyNewFileAndLeavesNoPartialFileBehind() throws Exception {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file modes only");
    // Given an export written line by line and moved into place
    Path out = dir.resolve("export.jsonl");
    try (JsonLinesFile file = JsonLinesFile.create(out)) {
      file.writeLine(Map.of("id", "t-1"));
      file.commit();
    }
    // Then it has the mode a file created plainly gets here (the umask's), as its manifest does,
    // not the owner-only mode of a temporary file
    Path plain = Files.createFile(dir.resolve("plain"));
    assertThat(Files.getPosixFilePermissions(out)).isEqualTo(Files.getPosixFilePermissions(plain));
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("export.jsonl", "plain");
    }
    assertThat(Files.readString(out)).isEqualTo("{\"id\":\"t-1\"}\n");
  }
}
