package org.trajlake.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.opensearch.client.transport.OpenSearchTransport;
import org.trajlake.recall.index.IndexNames;
import org.trajlake.recall.index.IndexRebuild;
import org.trajlake.recall.index.OpenSearchClients;
import org.trajlake.recall.indexer.IndexerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code trajlake reindex}: rebuild the indexes behind the recall aliases with the indexer's configured
 * index settings, beside a running indexer and recall service ({@link IndexRebuild}).
 */
@Command(name = "reindex", mixinStandardHelpOptions = true,
    description = "Rebuild the indexes behind <index.prefix>trajectories and <index.prefix>steps "
        + "with the configured index settings (index.text.analysis, index.shards, "
        + "index.knn.*), which an existing index keeps from when it was made. Each alias "
        + "gets a new index from its template, filled by _reindex with every document at "
        + "its version, then swapped in atomically; writes made meanwhile are copied "
        + "after the swap, and the old index is deleted. Safe while the indexer and "
        + "recall run. The vectors are copied as they are, so embedding.model cannot "
        + "change this way. Settings are the indexer's (`trajlake run indexer --help`): "
        + "--set, TRAJLAKE_* variables, --config FILE, defaults.",
    footerHeading = "%nSettings (key, default, meaning):%n")
final class ReindexCommand extends RunCommand.ServiceCommand {
  private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;
  private static final IndexRebuild.Change DERIVED_SOURCE_ON =
      new IndexRebuild.Change(IndexRebuild.Change.DERIVED_SOURCE, "false", "true");

  @Option(names = "--alias", paramLabel = "ALIAS", defaultValue = "all",
      description = "trajectories, steps or all. Default: all.")
  String alias;

  @Option(names = "--dry-run", description = "Print what would change for each alias; change nothing.")
  boolean dryRun;

  @Option(names = "--force", description = "Rebuild even an index whose settings are already the configured ones.")
  boolean force;

  @Option(names = "--keep-old", description = "Keep the old indexes, outside the aliases, instead of deleting them.")
  boolean keepOld;

  @Option(names = "--docs-per-second", paramLabel = "N", defaultValue = "0",
      description = "Hold the copy to at most about N documents a second, so recall on the same node "
          + "keeps its latency; 0 (the default) copies as fast as OpenSearch goes.")
  float docsPerSecond;

  @Option(names = "--indexer-stopped",
      description = "Confirms no indexer runs: needed to turn derived source on, since a "
          + "running indexer chose its bulk encoding (Smile) from the old index, and the "
          + "new one would refuse it.")
  boolean indexerStopped;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (docsPerSecond < 0) {
      throw new IllegalArgumentException("--docs-per-second must be 0 (no limit) or more, was " + docsPerSecond);
    }
    IndexerConfig config = configured(IndexerConfig::from);
    IndexNames names = config.openSearch().indexNames();
    try (OpenSearchTransport transport = OpenSearchClients.transport(config.openSearch())) {
      IndexRebuild rebuild = new IndexRebuild(transport, names, config.indexSettings(), config.embeddingModel());
      // Ctrl-C or SIGTERM stops the rebuild cleanly rather than leave a copy running in OpenSearch into an
      // index nothing reads: the JVM waits for it to cancel the copy and delete the new index.
      CountDownLatch finished = new CountDownLatch(1);
      Thread stopper = new Thread(() -> {
        rebuild.stop();
        awaitQuietly(finished);
      }, "reindex-stop");
      Runtime.getRuntime().addShutdownHook(stopper);
      try {
        rebuildEach(out, rebuild, names);
      } catch (IndexRebuild.Stopped e) {
        // Printed here: once the latch opens the JVM ends, before the error handler would print it.
        spec.commandLine().getErr().println("trajlake reindex: " + e.getMessage());
        spec.commandLine().getErr().flush();
        return 130;
      } finally {
        finished.countDown();
        removeQuietly(stopper);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return 0;
  }

  private void rebuildEach(PrintWriter out, IndexRebuild rebuild, IndexNames names) {
    for (String name : aliases(names)) {
      IndexRebuild.Plan plan = rebuild.plan(name);
      print(out, plan);
      if (dryRun || !(plan.needed() || force)) {
        continue;
      }
      if (plan.changes().contains(DERIVED_SOURCE_ON) && !indexerStopped) {
        throw new IllegalStateException("index.knn.derived.source turns on for " + name + ": a running indexer "
            + "sends Smile, which an index with derived source refuses. Stop the indexer, run again with "
            + "--indexer-stopped, then start it.");
      }
      print(out, rebuild.rebuild(plan, keepOld, docsPerSecond, progress(out)));
    }
  }

  /** Waits for the rebuild to end, for at most the time a catch-up after the swap may need. */
  private static void awaitQuietly(CountDownLatch finished) {
    try {
      finished.await(2, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeQuietly(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running: nothing to remove.
    }
  }

  private List<String> aliases(IndexNames names) {
    return switch (alias) {
      case "all" -> List.of(names.trajectories(), names.steps());
      case "trajectories" -> List.of(names.trajectories());
      case "steps" -> List.of(names.steps());
      default -> throw new IllegalArgumentException("--alias must be trajectories, steps or all, was '" + alias + "'");
    };
  }

  private void print(PrintWriter out, IndexRebuild.Plan plan) {
    out.printf("%s: %s, %,d documents%n", plan.alias(), String.join(", ", plan.from()), plan.documents());
    plan.changes().forEach(change -> out.printf("  %s%n", change));
    if (!plan.strays().isEmpty()) {
      out.printf("  not behind the alias (kept or left by an earlier rebuild; delete them when unneeded): %s%n",
          String.join(", ", plan.strays()));
    }
    if (!plan.needed()) {
      out.printf("  already as configured%s%n", force && !dryRun ? "; rebuilding anyway (--force)" : "");
    }
    if (dryRun && (plan.needed() || force)) {
      out.printf("  would rebuild into %s%n", plan.to());
    }
    out.flush();
  }

  private static void print(PrintWriter out, IndexRebuild.Result result) {
    double seconds = result.took().toMillis() / 1000.0;
    out.printf("  rebuilt into %s in %.1f s: %,d copied (%,.0f/s), %,d written meanwhile copied after the swap, "
            + "%,d documents behind the alias; %s%n", result.plan().to(), seconds, result.copied(),
        result.copied() / Math.max(result.copyTook().toMillis() / 1000.0, 0.001), result.caughtUp(), result.documents(),
        (result.oldDeleted() ? "deleted " : "kept ") + String.join(", ", result.plan().from()));
    out.flush();
  }

  /** Prints a copy's progress every 5 seconds. */
  private static Consumer<IndexRebuild.Progress> progress(PrintWriter out) {
    long[] last = {System.nanoTime()};
    return progress -> {
      if (System.nanoTime() - last[0] >= PROGRESS_EVERY_NANOS) {
        last[0] = System.nanoTime();
        out.printf("  %s: %,d of %,d documents%n", progress.phase(), progress.done(), progress.total());
        out.flush();
      }
    };
  }
}
