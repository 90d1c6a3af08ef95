package org.trajlake.sink;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.NonEmptyString;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Where the Iceberg catalog is, shared by the sink and the trainer-side commands. The defaults are the
 * local stack's catalog (a JDBC catalog in {@code .trajlake/catalog.db}); any other catalog Iceberg
 * ships (REST, Glue, Nessie, Hive) is chosen with {@code catalog.impl} and its own properties given as
 * {@code catalog.<property>} (for example {@code catalog.io-impl}, {@code catalog.s3.endpoint}). A local
 * ({@code file:}) warehouse is read and written through {@link LocalFileIO} unless {@code catalog.io-impl}
 * names another.
 *
 * @param name catalog name; a JDBC catalog keys its rows by it, so every reader must use the same
 * @param namespace the namespace of the training tables
 * @param properties properties for {@link CatalogUtil#buildIcebergCatalog}
 */
public record CatalogSettings(String name, String namespace, Map<String, String> properties) {
  public static final String PREFIX = "catalog.";
  public static final String NAME = "catalog.name";
  public static final String NAMESPACE = "catalog.namespace";
  public static final String IMPL = "catalog.impl";
  public static final String URI = "catalog.uri";
  public static final String WAREHOUSE = "catalog.warehouse";

  public static final String DEFAULT_DATA_DIR = ".trajlake";

  public CatalogSettings {
    properties = Map.copyOf(properties);
  }

  /** Adds the catalog keys to {@code def}. */
  public static ConfigDef define(ConfigDef def) {
    return def
        .define(NAME, Type.STRING, "trajlake", new NonEmptyString(), Importance.HIGH,
            "Iceberg catalog name; every engine reading the tables must use the same (a JDBC catalog keys rows by it).")
        .define(NAMESPACE, Type.STRING, "trajlake", new NonEmptyString(), Importance.MEDIUM,
            "Namespace of the training tables (trajectories, outcomes).")
        .define(IMPL, Type.STRING, "org.apache.iceberg.jdbc.JdbcCatalog", new NonEmptyString(), Importance.MEDIUM,
            "Catalog implementation; other catalog properties are given as catalog.<property>.")
        .define(URI, Type.STRING, "jdbc:sqlite:" + DEFAULT_DATA_DIR + "/catalog.db", new NonEmptyString(),
            Importance.HIGH, "Catalog URI: the local stack's SQLite file by default, a REST catalog's URL elsewhere.")
        .define(WAREHOUSE, Type.STRING, DEFAULT_DATA_DIR + "/warehouse", new NonEmptyString(), Importance.HIGH,
            "Warehouse location: a local directory or a URI (file://, s3://).");
  }

  /**
   * The catalog settings from resolved values of the keys {@link #define} adds and every other
   * {@code catalog.*} key ({@code prefixed}, prefix removed) passed through as a catalog property.
   */
  public static CatalogSettings of(Map<String, String> values, Map<String, String> prefixed) {
    Map<String, String> properties = new LinkedHashMap<>();
    prefixed.forEach((key, value) -> {
      if (!Map.of("name", 1, "namespace", 1, "impl", 1, "uri", 1, "warehouse", 1).containsKey(key)) {
        properties.put(key, value);
      }
    });
    properties.put(CatalogProperties.CATALOG_IMPL, values.get(IMPL));
    properties.put(CatalogProperties.URI, values.get(URI));
    properties.put(CatalogProperties.WAREHOUSE_LOCATION, location(values.get(WAREHOUSE)));
    if (properties.get(CatalogProperties.WAREHOUSE_LOCATION).startsWith("file:")) {
      // A local warehouse is read and written with plain file streams, not Hadoop's checksummed file
      // system (see LocalFileIO); catalog.io-impl still chooses another.
      properties.putIfAbsent(CatalogProperties.FILE_IO_IMPL, LocalFileIO.class.getName());
    }
    if (values.get(IMPL).endsWith("JdbcCatalog")) {
      // V1 adds views to the catalog tables; PyIceberg and Spark read both. Same as `trajlake up`.
      properties.putIfAbsent("jdbc.schema-version", "V1");
    }
    return new CatalogSettings(values.get(NAME), values.get(NAMESPACE), properties);
  }

  /** The local stack's catalog under {@code dataDir}. */
  public static CatalogSettings forDataDir(Path dataDir) {
    Path dir = dataDir.toAbsolutePath().normalize();
    return of(Map.of(NAME, "trajlake", NAMESPACE, "trajlake", IMPL, "org.apache.iceberg.jdbc.JdbcCatalog",
        URI, "jdbc:sqlite:" + dir.resolve("catalog.db"), WAREHOUSE, dir.resolve("warehouse").toString()), Map.of());
  }

  /** Opens the catalog; the caller closes it when it is {@link AutoCloseable}. */
  public Catalog open() {
    return CatalogUtil.buildIcebergCatalog(name, properties, new Configuration(false));
  }

  /** A warehouse given as a plain path becomes an absolute file URI; URIs stay as they are. */
  private static String location(String warehouse) {
    if (warehouse.contains("://") || warehouse.startsWith("file:")) {
      return warehouse;
    }
    return Path.of(warehouse).toAbsolutePath().normalize().toUri().toString();
  }
}
