package org.trajlake.sink.trainer;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import org.apache.iceberg.data.Record;

/**
 * A JSON-lines output written whole or not at all: lines go to a temporary file beside the target,
 * which replaces the target only on {@link #commit}, so a failed export never leaves a truncated file
 * that looks complete. The SHA-256 of the bytes is computed while they are written.
 */
final class JsonLinesFile implements AutoCloseable {
  /** snake_case field names, as Python trainers expect; no flush per line (the stream is buffered). */
  static final ObjectMapper MAPPER = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

  private final Path target;
  private final Path temporary;
  private final MessageDigest digest;
  private final JsonGenerator json;
  private long lines;
  private boolean committed;

  private JsonLinesFile(Path target, Path temporary, MessageDigest digest, JsonGenerator json) {
    this.target = target;
    this.temporary = temporary;
    this.digest = digest;
    this.json = json;
  }

  static JsonLinesFile create(Path target) {
    Path absolute = target.toAbsolutePath();
    try {
      Files.createDirectories(absolute.getParent());
      // Not Files.createTempFile: its file is readable by the owner alone, and the export kept that mode
      // once moved into place, unlike the manifest beside it. A new file gets the umask's mode.
      Path temporary = absolute.resolveSibling("." + absolute.getFileName() + "." + UUID.randomUUID() + ".partial");
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      OutputStream file = Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      OutputStream out = new BufferedOutputStream(new DigestOutputStream(file, digest), 1 << 16);
      JsonGenerator json = MAPPER.getFactory().createGenerator(out);
      json.setRootValueSeparator(null);
      return new JsonLinesFile(absolute, temporary, digest, json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@code value} (a Java record or a map) as one line. */
  void writeLine(Object value) {
    try {
      MAPPER.writeValue(json, value);
      endLine();
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + target + " failed", e);
    }
  }

  /** Writes a table row as one line (see {@link JsonRows}). */
  void writeRow(Record row) {
    try {
      JsonRows.write(json, row);
      endLine();
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + target + " failed", e);
    }
  }

  private void endLine() throws IOException {
    json.writeRaw('\n');
    lines++;
  }

  long lines() {
    return lines;
  }

  Path target() {
    return target;
  }

  /** Closes the file, moves it into place and returns the hex SHA-256 of its bytes. */
  String commit() {
    try {
      json.close();
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
    committed = true;
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Discards the temporary file unless committed. */
  @Override
  public void close() {
    if (committed) {
      return;
    }
    try {
      json.close();
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + temporary, e);
    }
  }
}
