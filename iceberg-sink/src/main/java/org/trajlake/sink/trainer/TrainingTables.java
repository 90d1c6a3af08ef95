package org.trajlake.sink.trainer;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.trajlake.sink.CatalogSettings;
import org.trajlake.sink.table.TableNames;

/**
 * The training tables as a trainer reads them: the catalog the sink commits to, opened read-only in
 * spirit. Opening never creates anything: a missing local catalog file or table is an error that says
 * to run the sink first, rather than an empty catalog left behind by a typo in {@code --data-dir}.
 */
public final class TrainingTables implements AutoCloseable {
  private static final String SQLITE = "jdbc:sqlite:";

  private final CatalogSettings settings;
  private final Catalog catalog;

  private TrainingTables(CatalogSettings settings, Catalog catalog) {
    this.settings = settings;
    this.catalog = catalog;
  }

  /** Opens the catalog {@code settings} describe. */
  public static TrainingTables open(CatalogSettings settings) {
    String uri = settings.properties().getOrDefault(CatalogProperties.URI, "");
    if (uri.startsWith(SQLITE) && !Files.isRegularFile(Path.of(uri.substring(SQLITE.length())))) {
      throw new IllegalStateException("no Iceberg catalog at " + uri.substring(SQLITE.length())
          + ": run `trajlake run sink` first, or point --data-dir / --catalog-uri at the sink's catalog");
    }
    return new TrainingTables(settings, settings.open());
  }

  /** The trajectories table: one row per trajectory, replaced as its reward changes. */
  public Table trajectories() {
    return table(TableNames.TRAJECTORIES);
  }

  /** The append-only outcomes table. */
  public Table outcomes() {
    return table(TableNames.OUTCOMES);
  }

  /** Whether table {@code name} exists yet. */
  public boolean exists(String name) {
    return catalog.tableExists(TableIdentifier.of(settings.namespace(), name));
  }

  /** The table named {@code name} ({@value TableNames#TRAJECTORIES} or {@value TableNames#OUTCOMES}). */
  public Table table(String name) {
    if (!Map.of(TableNames.TRAJECTORIES, 1, TableNames.OUTCOMES, 1).containsKey(name)) {
      throw new IllegalArgumentException("no training table '" + name + "': the tables are "
          + TableNames.TRAJECTORIES + " and " + TableNames.OUTCOMES);
    }
    TableIdentifier id = TableIdentifier.of(settings.namespace(), name);
    if (!catalog.tableExists(id)) {
      throw new IllegalStateException("no table " + id + " in catalog " + settings.name()
          + " yet: run `trajlake run sink` first");
    }
    return catalog.loadTable(id);
  }

  @Override
  public void close() {
    if (catalog instanceof Closeable closeable) {
      try {
        closeable.close();
      } catch (IOException e) {
        throw new UncheckedIOException("closing the catalog failed", e);
      }
    }
  }
}
