package org.trajlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What {@code trajlake provision} does without any server. Against real servers it runs as the init
 * step of deploy/compose, which ComposeStackIT brings up where a Docker engine exists.
 */
class ProvisionCommandTest {
  @Test
  void helpListsEveryKeyWithItsDefault() {
    // When `provision --help` runs
    CliRun run = CliRun.of("provision", "--help");

    // Then the keys a deployment sets are documented, with the admin.* passthrough for SASL and TLS
    assertThat(run.exitCode()).isZero();
    String help = run.out().replaceAll("\\s+", " ");
    assertThat(help).contains("bootstrap.servers").contains("schema.registry.url").contains("topic.prefix")
        .contains("partitions 6").contains("replication.factor 1").contains("admin.<key>");
  }

  @Test
  void aBadReplicationFactorIsRefusedBeforeAnythingIsContactedNamingTheVariable() {
    // Given a replication factor of zero
    // When `provision` runs
    CliRun run = CliRun.of("provision", "--set", "replication.factor=0", "--set", "bootstrap.servers=192.0.2.1:9");

    // Then it stops at once and names where the key can be set
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("replication.factor").contains("TRAJLAKE_REPLICATION_FACTOR");
  }
}
