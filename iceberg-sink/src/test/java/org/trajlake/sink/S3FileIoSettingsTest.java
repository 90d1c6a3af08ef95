package org.trajlake.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.io.FileIO;
import org.junit.jupiter.api.Test;
import org.trajlake.runtime.Settings;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetUrlRequest;

/**
 * The sink's {@code catalog.*} keys reach S3FileIO as a deployment on MinIO sets them (see
 * deploy/compose/conf/sink.properties), and the S3 client it builds points where they say. Nothing here
 * talks to a network: building a client and computing an object URL are local.
 */
class S3FileIoSettingsTest {
  private static final Map<String, String> MINIO = Map.of(
      "catalog.impl", "org.apache.iceberg.rest.RESTCatalog",
      "catalog.uri", "http://iceberg-rest:8181",
      "catalog.warehouse", "s3://warehouse/",
      "catalog.io-impl", "org.apache.iceberg.aws.s3.S3FileIO",
      "catalog.s3.endpoint", "http://minio:9000",
      "catalog.s3.path-style-access", "true",
      "catalog.s3.access-key-id", "trajlake",
      "catalog.s3.secret-access-key", "trajlake-dev-secret",
      "catalog.client.region", "us-east-1");

  @Test
  void catalogKeysLoadS3FileIoWithTheEndpointPathStyleAndCredentials() throws Exception {
    // Given the sink's settings for a REST catalog with its warehouse on MinIO
    Map<String, String> properties = SinkConfig.from(Settings.of(MINIO)).catalog().properties();

    // When the file IO the catalog would use is loaded from those properties
    try (FileIO io = CatalogUtil.loadFileIO(properties.get(CatalogProperties.FILE_IO_IMPL), properties,
        new Configuration(false))) {

      // Then it is S3FileIO, and its client talks to MinIO with path-style URLs and the given keys
      assertThat(io).isInstanceOf(S3FileIO.class);
      S3Client client = ((S3FileIO) io).client();
      assertThat(client.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://minio:9000"));
      assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.US_EAST_1);
      assertThat(client.utilities().getUrl(GetUrlRequest.builder().bucket("warehouse").key("t/data/f.parquet").build()))
          .hasToString("http://minio:9000/warehouse/t/data/f.parquet");
      AwsCredentialsIdentity credentials = client.serviceClientConfiguration().credentialsProvider().resolveIdentity().join();
      assertThat(credentials.accessKeyId()).isEqualTo("trajlake");
      assertThat(credentials.secretAccessKey()).isEqualTo("trajlake-dev-secret");
      assertThat(io.newInputFile("s3://warehouse/t/data/f.parquet").location())
          .isEqualTo("s3://warehouse/t/data/f.parquet");
    }
  }

  @Test
  void theCatalogSettingsThemselvesAreNotPassedAsFileIoProperties() {
    // Given the same settings
    Map<String, String> properties = SinkConfig.from(Settings.of(MINIO)).catalog().properties();

    // Then the defined keys become Iceberg's own names and the free keys pass through without the prefix
    assertThat(properties)
        .containsEntry(CatalogProperties.CATALOG_IMPL, "org.apache.iceberg.rest.RESTCatalog")
        .containsEntry(CatalogProperties.URI, "http://iceberg-rest:8181")
        .containsEntry(CatalogProperties.WAREHOUSE_LOCATION, "s3://warehouse/")
        .containsEntry("s3.endpoint", "http://minio:9000")
        .doesNotContainKey("jdbc.schema-version");
  }
}
