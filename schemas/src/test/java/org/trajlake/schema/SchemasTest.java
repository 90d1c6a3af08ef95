package org.trajlake.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

class SchemasTest {

  @Test
  void everyTopicValueSchemaIsListed() {
    // When the top-level schemas are listed
    // Then they are the four record types the topics carry
    assertThat(Schemas.topLevel())
        .extracting(Schema::getName)
        .containsExactlyInAnyOrder("TrajectoryEvent", "Outcome", "Trajectory", "RewardedTrajectory");
  }

  @Test
  void thePortableFormDropsOnlyJavaProperties() {
    // Given the generated class's schema, which carries avro.java.string properties
    Schema generated = TrajectoryEvent.getClassSchema();
    assertThat(generated.toString()).contains("avro.java.string");

    // When it is made portable
    Schema portable = Schemas.portable(generated);

    // Then the Java properties are gone and nothing that matters on the wire changed
    assertThat(portable.toString()).doesNotContain("avro.java.string");
    assertThat(SchemaNormalization.toParsingForm(portable)).isEqualTo(SchemaNormalization.toParsingForm(generated));
    assertThat(portable.getField("event_id").doc()).isEqualTo(generated.getField("event_id").doc());
  }
}
