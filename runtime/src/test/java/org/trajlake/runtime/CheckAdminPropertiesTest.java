package org.trajlake.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class CheckAdminPropertiesTest {
  @Test
  void theServicesSecuritySettingsReachTheCheckAndConsumerOnlyKeysDoNot() {
    Map<String, Object> consumer = PlainClientProperties.consumer("broker:9093", "trajlake-indexer");
    consumer.put("security.protocol", "SASL_SSL");
    consumer.put("sasl.mechanism", "SCRAM-SHA-512");
    consumer.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    consumer.put("ssl.truststore.location", "/etc/kafka/truststore.jks");
    consumer.put("max.poll.records", 500);

    Map<String, Object> admin = CheckAdminProperties.from(consumer, Duration.ofSeconds(15));

    assertThat(admin).containsEntry("bootstrap.servers", "broker:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;")
        .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.jks")
        .containsEntry("default.api.timeout.ms", 15_000)
        .doesNotContainKeys("group.id", "isolation.level", "enable.auto.commit", "max.poll.records",
            "auto.offset.reset", "client.id");
    assertThat(CheckAdminProperties.bootstrapServers(admin)).isEqualTo("broker:9093");
  }

  @Test
  void anAdminPrefixedStreamsSettingWinsOverThePlainOne() {
    Properties streams = new Properties();
    streams.put("bootstrap.servers", "broker:9092");
    streams.put("application.id", "trajlake-ingest");
    streams.put("security.protocol", "SSL");
    streams.put("admin.security.protocol", "SASL_SSL");
    streams.put("consumer.session.timeout.ms", 10_000);

    Map<String, Object> admin = CheckAdminProperties.from(streams, Duration.ofSeconds(5));

    assertThat(admin).containsEntry("security.protocol", "SASL_SSL")
        .doesNotContainKeys("application.id", "admin.security.protocol", "consumer.session.timeout.ms");
  }
}
