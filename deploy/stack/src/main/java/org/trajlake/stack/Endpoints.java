package org.trajlake.stack;

import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;

/**
 * Where a client finds each part of a local stack.
 *
 * @param bootstrapServers Kafka bootstrap servers (the PLAINTEXT listener)
 * @param saslBootstrapServers the broker's SASL_PLAINTEXT listener (mechanism PLAIN, {@link #saslJaasConfig()})
 * @param registryUrl the registry's Confluent-compatible API (schema.registry.url for serdes)
 * @param openSearchUrl OpenSearch's HTTP endpoint
 * @param icebergCatalogName the catalog name every Iceberg reader must use
 * @param icebergNamespace the namespace of the project's tables
 * @param icebergCatalogProperties properties for {@link CatalogUtil#buildIcebergCatalog}
 * @param dataDir the stack's data dir
 */
public record Endpoints(String bootstrapServers, String saslBootstrapServers, String registryUrl, String openSearchUrl,
    String icebergCatalogName, String icebergNamespace, Map<String, String> icebergCatalogProperties, Path dataDir) {

  public Endpoints {
    icebergCatalogProperties = Map.copyOf(icebergCatalogProperties);
  }

  static Endpoints of(StackConfig config) {
    IcebergCatalogSetup iceberg = new IcebergCatalogSetup(config);
    return new Endpoints(KafkaServer.bootstrapServers(config), KafkaServer.saslBootstrapServers(config),
        ApicurioServer.registryUrl(config), OpenSearchServer.openSearchUrl(config), IcebergCatalogSetup.CATALOG_NAME,
        IcebergCatalogSetup.NAMESPACE, iceberg.properties(), config.dataDir());
  }

  /** The {@code sasl.jaas.config} of a client of the SASL listener: the stack's one local user. */
  public String saslJaasConfig() {
    return KafkaServer.saslJaasConfig();
  }

  /** Opens the stack's Iceberg catalog; the caller closes it when it is {@link AutoCloseable}. */
  public Catalog openIcebergCatalog() {
    return CatalogUtil.buildIcebergCatalog(icebergCatalogName, icebergCatalogProperties, new Configuration(false));
  }

  public Path logsDir() {
    return dataDir.resolve("logs");
  }
}
