package org.trajlake.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.trajlake.runtime.Settings;
import org.trajlake.sink.CatalogSettings;
import picocli.CommandLine.Option;

/**
 * Where the training tables are, for the trainer-side commands: the local stack's catalog under
 * {@code --data-dir} unless catalog settings say otherwise. Catalog keys come, highest first, from
 * {@code --catalog-uri}/{@code --warehouse}/{@code --set catalog.<key>=...}, then {@code TRAJLAKE_CATALOG_*}
 * variables, then the data dir's catalog, the same keys {@code trajlake run sink} takes.
 */
final class CatalogOptions {
  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:TRAJLAKE_DATA_DIR:-.trajlake}",
      description = "The local stack's data directory; its catalog is DIR/catalog.db, its warehouse DIR/warehouse. "
          + "Default: .trajlake. Env: TRAJLAKE_DATA_DIR.")
  Path dataDir;

  @Option(names = "--catalog-uri", paramLabel = "URI",
      description = "Catalog URI (a JDBC URL, or a REST catalog's with --set catalog.impl=...). Env: TRAJLAKE_CATALOG_URI.")
  String catalogUri;

  @Option(names = "--warehouse", paramLabel = "LOCATION", description = "Warehouse location. Env: TRAJLAKE_CATALOG_WAREHOUSE.")
  String warehouse;

  @Option(names = "--set", paramLabel = "catalog.KEY=VALUE",
      description = "A catalog setting (catalog.name, catalog.namespace, catalog.impl, or any catalog.<property>). Repeatable.")
  Map<String, String> set = new LinkedHashMap<>();

  CatalogSettings settings() {
    Map<String, String> explicit = new LinkedHashMap<>();
    set.forEach((key, value) -> {
      if (!key.startsWith(CatalogSettings.PREFIX)) {
        throw new IllegalArgumentException("--set takes catalog.<key>=VALUE here, not " + key);
      }
      explicit.put(key, value);
    });
    if (catalogUri != null) {
      explicit.put(CatalogSettings.URI, catalogUri);
    }
    if (warehouse != null) {
      explicit.put(CatalogSettings.WAREHOUSE, warehouse);
    }
    Settings settings = Settings.load(explicit, System.getenv(), Optional.empty());
    ConfigDef definition = CatalogSettings.define(new ConfigDef());
    Map<String, String> values = new HashMap<>();
    definition.configKeys().forEach((name, key) -> values.put(name, String.valueOf(key.defaultValue)));
    Path dir = dataDir.toAbsolutePath().normalize();
    values.put(CatalogSettings.URI, "jdbc:sqlite:" + dir.resolve("catalog.db"));
    values.put(CatalogSettings.WAREHOUSE, dir.resolve("warehouse").toString());
    values.putAll(settings.resolve(definition));
    return CatalogSettings.of(values, settings.prefixed(CatalogSettings.PREFIX));
  }
}
