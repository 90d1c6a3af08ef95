package org.trajlake.sink.trainer;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What an export or a sample wrote and from what, saved as {@code <out>.manifest.json} beside the
 * output: enough to read exactly the same rows again (table, snapshot, filter, options) and to check
 * the output is the one described (SHA-256).
 *
 * @param table the table read
 * @param snapshotId the snapshot read
 * @param tag the tag that named the snapshot, if one did
 * @param filter the {@code --where} text, if any
 * @param format jsonl, sft or dpo
 * @param output the output file's name
 * @param rowsRead rows of the snapshot that matched the filter
 * @param recordsWritten lines written
 * @param pairs for dpo, the preference pairs written
 * @param skipped rows or pairs left out, by reason (for example no_task_id, no_reward, no_messages)
 * @param sha256 hex SHA-256 of the output file
 * @param createdAt when it was written (ISO-8601)
 * @param options the format's or sampler's options (margin, max_pairs_per_task, strategy, n, seed)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ExportManifest(String table, long snapshotId, String tag, String filter, String format, String output,
    long rowsRead, long recordsWritten, Long pairs, Map<String, Long> skipped, String sha256, String createdAt,
    Map<String, Object> options) {

  /** Where the manifest of {@code output} goes. */
  public static Path pathFor(Path output) {
    return output.resolveSibling(output.getFileName() + ".manifest.json");
  }

  /** Writes this manifest beside {@code output}. */
  void writeBeside(Path output) {
    Path path = pathFor(output);
    try {
      Files.writeString(path, JsonLinesFile.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }
}
