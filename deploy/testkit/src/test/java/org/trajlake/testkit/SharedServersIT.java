package org.trajlake.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.trajlake.stack.Component;
import org.trajlake.stack.ComponentStatus;
import org.trajlake.stack.LocalStack;

/** A second test class in the same JVM reuses the servers the first one started. */
@RealServers(Component.KAFKA)
class SharedServersIT {

  @Test
  void serversStartOncePerJvmAndWatchTheirParent(LocalStack stack) {
    // Given a class that asks only for Kafka, after RealServersIT (same JVM) asked for everything

    // When the stack reports its state
    List<ComponentStatus> status = stack.status();

    // Then Kafka is up and healthy, on a free port rather than the default one, and the stack was
    // configured so that no server outlives this JVM
    ComponentStatus kafka = status.stream().filter(s -> s.component() == Component.KAFKA).findFirst().orElseThrow();
    assertThat(kafka.healthy()).isTrue();
    assertThat(kafka.address()).doesNotEndWith(":9092");
    assertThat(stack.config().stopWithParent()).isTrue();
    assertThat(stack.config().dataDir().toString()).contains("target");
  }
}
