package org.trajlake.sink.trainer;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;

/**
 * Writes one snapshot of the trajectories table as training data (JSON lines in the {@link ExportFormat}
 * asked for) with a {@link ExportManifest} beside it. Reading by snapshot makes the export repeatable:
 * the same snapshot, filter and options give the same lines in the same order.
 */
public final class Exporter {
  public static final double DEFAULT_MARGIN = 0.1;
  public static final int DEFAULT_MAX_PAIRS_PER_TASK = 8;

  /**
   * @param format what to write
   * @param where a {@link RowFilter} text; null or blank for every row
   * @param margin for dpo, the least reward difference between the chosen and the rejected trajectory
   * @param maxPairsPerTask for dpo, the most pairs taken from one task
   */
  public record Options(ExportFormat format, String where, double margin, int maxPairsPerTask) {
    public Options {
      if (format == null) {
        throw new IllegalArgumentException("an export needs a format: jsonl, sft or dpo");
      }
      if (!(margin >= 0)) {
        throw new IllegalArgumentException("the margin must be a number of at least 0, not " + margin);
      }
      if (maxPairsPerTask < 1) {
        throw new IllegalArgumentException("max pairs per task must be at least 1, not " + maxPairsPerTask);
      }
    }

    /** {@code format} of every row with the default DPO options. */
    public static Options of(ExportFormat format) {
      return new Options(format, null, DEFAULT_MARGIN, DEFAULT_MAX_PAIRS_PER_TASK);
    }
  }

  /** A line of an SFT export. */
  record SftExample(List<ChatMessage> messages, String trajectoryId, String taskId, Double reward) {}

  private final Table table;
  private final ReadProgress progress;

  public Exporter(Table table, ReadProgress progress) {
    this.table = table;
    this.progress = progress;
  }

  /** Writes {@code version} of the table to {@code out} and the manifest beside it, and returns the manifest. */
  public ExportManifest export(TableVersion version, Options options, Path out) {
    SnapshotReader reader = new SnapshotReader(table, version, options.where());
    if (options.format() != ExportFormat.JSONL && reader.schema().findField("steps") == null) {
      throw new IllegalArgumentException(options.format().label() + " export needs the trajectories table, not "
          + table.name());
    }
    Map<String, Long> skipped = new TreeMap<>();
    Map<String, Object> settings = new LinkedHashMap<>();
    try (JsonLinesFile file = JsonLinesFile.create(out)) {
      long rowsRead = switch (options.format()) {
        case JSONL -> reader.read("export", progress, file::writeRow);
        case SFT -> reader.read("export", progress, row -> sft(file, row, skipped),
            ChatMessages.COLUMNS.toArray(String[]::new));
        case DPO -> {
          settings.put("margin", options.margin());
          settings.put("max_pairs_per_task", options.maxPairsPerTask());
          yield new DpoExport(reader, progress, options.margin(), options.maxPairsPerTask()).write(file, skipped);
        }
      };
      String sha256 = file.commit();
      ExportManifest manifest = new ExportManifest(table.name(), version.snapshotId(), version.tag(),
          options.where() == null || options.where().isBlank() ? null : options.where(), options.format().label(),
          file.target().getFileName().toString(), rowsRead, file.lines(),
          options.format() == ExportFormat.DPO ? file.lines() : null, skipped, sha256, Instant.now().toString(), settings);
      manifest.writeBeside(file.target());
      return manifest;
    }
  }

  private static void sft(JsonLinesFile file, Record row, Map<String, Long> skipped) {
    List<ChatMessage> messages = ChatMessages.of(row);
    if (messages.isEmpty()) {
      skipped.merge("no_messages", 1L, Long::sum);
      return;
    }
    file.writeLine(new SftExample(messages, (String) row.getField("trajectory_id"), (String) row.getField("task_id"),
        (Double) row.getField("reward")));
  }
}
