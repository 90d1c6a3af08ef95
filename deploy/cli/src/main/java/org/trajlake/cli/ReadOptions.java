package org.trajlake.cli;

import java.nio.file.Path;
import org.apache.iceberg.Table;
import org.trajlake.sink.trainer.ReadProgress;
import org.trajlake.sink.trainer.Snapshots;
import org.trajlake.sink.trainer.TableVersion;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** What an export or a sample reads (a snapshot, a tag or the current snapshot, and a filter) and where it writes. */
final class ReadOptions {
  static final class Version {
    @Option(names = "--snapshot", paramLabel = "ID", description = "Read this snapshot (`trajlake snapshots list`).")
    Long snapshotId;

    @Option(names = "--tag", paramLabel = "NAME", description = "Read the snapshot this tag points at.")
    String tag;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Version version;

  @Option(names = "--where", paramLabel = "EXPR",
      description = "Only rows matching EXPR, e.g. \"reward > 0.5 and label_status = 'LABELED'\": comparisons "
          + "(= != < <= > >=), is [not] null, [not] in (...), and/or/not, parentheses; strings and times in single quotes.")
  String where;

  @Option(names = "--out", paramLabel = "FILE", required = true,
      description = "The output file; FILE.manifest.json is written beside it.")
  Path out;

  @Option(names = {"-q", "--quiet"}, description = "No progress bar (there is none either when stderr is not a terminal).")
  boolean quiet;

  /** The snapshot chosen, the current one when neither --snapshot nor --tag is given. */
  TableVersion resolve(Table table) {
    return new Snapshots(table).resolve(version == null ? null : version.snapshotId, version == null ? null : version.tag);
  }

  ReadProgress progress() {
    return quiet || System.console() == null ? ReadProgress.NONE : new ProgressBars();
  }
}
