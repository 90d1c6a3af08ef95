package org.trajlake.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.trajlake.sink.maintenance.SnapshotExpiry;
import org.trajlake.sink.trainer.SnapshotInfo;
import org.trajlake.sink.trainer.Snapshots;
import org.trajlake.sink.trainer.TrainingTables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trajlake snapshots list|tag|expire}: the versions of a training table, and names for the ones to keep. */
@Command(name = "snapshots", mixinStandardHelpOptions = true,
    description = "The versions of a training table: snapshots and tags. "
        + "Every sink commit is a snapshot a trainer can read again with --snapshot ID; "
        + "a tag names one (--tag NAME) and keeps it through snapshot expiry.",
    subcommands = {SnapshotsCommand.ListSnapshots.class, SnapshotsCommand.TagSnapshot.class,
        SnapshotsCommand.ExpireSnapshotsCommand.class})
final class SnapshotsCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Snapshots oldest first: id, commit time, operation, rows added, the Kafka offsets "
          + "[from, to) each partition's commit covers, writer schema ids, tags; * marks the current one.")
  static final class ListSnapshots implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CatalogOptions catalog;

    @Option(names = "--table", paramLabel = "TABLE", defaultValue = "trajectories",
        description = "trajectories or outcomes. Default: trajectories.")
    String table;

    @Option(names = "--json", description = "A JSON array instead of the table.")
    boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
      PrintWriter out = spec.commandLine().getOut();
      try (TrainingTables tables = TrainingTables.open(catalog.settings())) {
        List<SnapshotInfo> snapshots = new Snapshots(tables.table(table)).list();
        if (json) {
          out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(
              snapshots.stream().map(ListSnapshots::asJson).toList()));
        } else {
          print(out, snapshots);
        }
      }
      out.flush();
      return 0;
    }

    private static void print(PrintWriter out, List<SnapshotInfo> snapshots) {
      String format = "%1s %-20s %-20s %-9s %8s  %-16s %-8s %s%n";
      out.printf(format, "", "SNAPSHOT", "COMMITTED", "OPERATION", "ADDED", "OFFSETS", "SCHEMAS", "TAGS");
      for (SnapshotInfo s : snapshots) {
        String offsets = s.offsetRanges().entrySet().stream()
            .map(e -> e.getKey() + ":[" + e.getValue().get(0) + "," + e.getValue().get(1) + ")")
            .collect(Collectors.joining(" "));
        String schemas = s.schemaIds().stream().map(String::valueOf).collect(Collectors.joining(","));
        out.printf(format, s.current() ? "*" : "", s.snapshotId(), s.committedAt().truncatedTo(ChronoUnit.SECONDS),
            s.operation(), s.addedRecords(), offsets.isEmpty() ? "-" : offsets, schemas.isEmpty() ? "-" : schemas,
            String.join(",", s.tags()));
      }
    }

    private static Map<String, Object> asJson(SnapshotInfo s) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("snapshot_id", s.snapshotId());
      json.put("parent_id", s.parentId());
      json.put("committed_at", s.committedAt().toString());
      json.put("operation", s.operation());
      json.put("added_records", s.addedRecords());
      json.put("total_records", s.totalRecords());
      json.put("offset_ranges", s.offsetRanges());
      json.put("schema_ids", s.schemaIds());
      json.put("tags", s.tags());
      json.put("current", s.current());
      return json;
    }
  }

  @Command(name = "tag", mixinStandardHelpOptions = true,
      description = "Point tag NAME at a snapshot, so trainers can read it by name (--tag NAME) and expiry keeps it.")
  static final class TagSnapshot implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CatalogOptions catalog;

    @Parameters(index = "0", paramLabel = "NAME", description = "The tag, e.g. sft-2025-06.")
    String name;

    @Option(names = "--snapshot", paramLabel = "ID", required = true, description = "The snapshot to tag.")
    long snapshotId;

    @Option(names = "--table", paramLabel = "TABLE", defaultValue = "trajectories",
        description = "trajectories or outcomes. Default: trajectories.")
    String table;

    @Option(names = "--force", description = "Move the tag if it already exists.")
    boolean force;

    @Override
    public Integer call() {
      try (TrainingTables tables = TrainingTables.open(catalog.settings())) {
        Table tagged = tables.table(table);
        new Snapshots(tagged).tag(name, snapshotId, force);
        spec.commandLine().getOut().printf("tagged snapshot %d of %s as %s%n", snapshotId, tagged.name(), name);
      }
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "expire", mixinStandardHelpOptions = true,
      description = "Drop snapshots committed longer ago than --older-than, and the files only they use. "
          + "Tagged snapshots stay, and so do the sink's last snapshot and all after it (the sink "
          + "resumes from the offsets it holds), whatever their age.")
  static final class ExpireSnapshotsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CatalogOptions catalog;

    @Option(names = "--older-than", paramLabel = "AGE", required = true, converter = Units.Age.class,
        description = "e.g. 7d, 36h, 90m; 0s expires everything that may go.")
    Duration olderThan;

    @Option(names = "--retain-last", paramLabel = "N", defaultValue = "1",
        description = "Keep at least the N newest snapshots. Default: 1.")
    int retainLast;

    @Option(names = "--table", paramLabel = "TABLE", defaultValue = "all",
        description = "trajectories, outcomes or all. Default: all.")
    String table;

    @Option(names = "--dry-run", description = "Print what would be expired; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Instant cutoff = Instant.now().minus(olderThan);
      try (TrainingTables tables = TrainingTables.open(catalog.settings())) {
        for (String name : CompactCommand.tables(table, tables)) {
          SnapshotExpiry.Result r = new SnapshotExpiry(tables.table(name)).expire(cutoff, retainLast, dryRun);
          out.printf("%s: %s %d snapshots older than %s%s; %d remain%n", r.table(), dryRun ? "would expire" : "expired",
              r.expired().size(), r.cutoff().truncatedTo(ChronoUnit.SECONDS),
              r.sinkSnapshotId() == null ? "" : " (the sink's last snapshot " + r.sinkSnapshotId() + " is kept)",
              r.remaining());
          out.flush();
        }
      }
      return 0;
    }
  }
}
