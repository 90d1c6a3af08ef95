package org.trajlake.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;

/**
 * The Iceberg catalog of the local stack: a JDBC catalog in a SQLite file with a local warehouse.
 * It is not a process: "starting" it creates the file and the namespace. Any engine that opens the
 * same file with the same catalog name (rows are keyed by it) sees the same tables.
 */
final class IcebergCatalogSetup {
  static final String CATALOG_NAME = "trajlake";
  static final String NAMESPACE = "trajlake";

  private final Path dataDir;

  IcebergCatalogSetup(StackConfig config) {
    this.dataDir = config.dataDir();
  }

  Path catalogFile() {
    return dataDir.resolve("catalog.db");
  }

  Path warehouse() {
    return dataDir.resolve("warehouse");
  }

  String address() {
    return "jdbc:sqlite:" + catalogFile();
  }

  Map<String, String> properties() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put(CatalogProperties.CATALOG_IMPL, "org.apache.iceberg.jdbc.JdbcCatalog");
    props.put(CatalogProperties.URI, address());
    props.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse().toUri().toString());
    // V1 adds views to the catalog tables; PyIceberg and Spark read both.
    props.put("jdbc.schema-version", "V1");
    return props;
  }

  Catalog open() {
    return CatalogUtil.buildIcebergCatalog(CATALOG_NAME, properties(), new Configuration(false));
  }

  /** Creates the catalog file, the warehouse and the namespace if missing. */
  void ensure() throws IOException {
    Files.createDirectories(warehouse());
    Catalog catalog = open();
    try {
      SupportsNamespaces namespaces = (SupportsNamespaces) catalog;
      if (!namespaces.namespaceExists(Namespace.of(NAMESPACE))) {
        namespaces.createNamespace(Namespace.of(NAMESPACE));
      }
    } finally {
      closeQuietly(catalog);
    }
  }

  Health probe() {
    if (!Files.isRegularFile(catalogFile())) {
      return Health.down("no catalog at " + catalogFile());
    }
    Catalog catalog = open();
    try {
      return ((SupportsNamespaces) catalog).namespaceExists(Namespace.of(NAMESPACE))
          ? Health.up("namespace " + NAMESPACE + " exists")
          : Health.down("namespace " + NAMESPACE + " missing");
    } catch (RuntimeException e) {
      return Health.down("catalog unreadable: " + e.getMessage());
    } finally {
      closeQuietly(catalog);
    }
  }

  private static void closeQuietly(Catalog catalog) {
    if (catalog instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception ignored) {
        // Closing a JDBC connection pool on a local file; nothing to recover.
      }
    }
  }
}
