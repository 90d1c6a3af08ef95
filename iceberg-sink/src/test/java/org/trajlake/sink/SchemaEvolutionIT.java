package org.trajlake.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.trajlake.sink.SinkFixtures.T0;
import static org.trajlake.sink.SinkFixtures.rewarded;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.trajlake.runtime.Settings;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.schema.Topics;
import org.trajlake.schema.registry.HttpSchemaRegistry;
import org.trajlake.sink.table.TableNames;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.testkit.RealServers;

/** A compatible Avro change (a new optional field) evolves the table's schema while the sink runs. */
@RealServers({Component.KAFKA, Component.REGISTRY, Component.ICEBERG})
class SchemaEvolutionIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Test
  void aNewOptionalFieldBecomesANewColumnWhileRunning(Endpoints servers) throws Exception {
    // Given the sink running with rows of today's schema
    Topics topics = SinkFixtures.provision(servers, "evolve");
    String namespace = "it_evolve_" + System.nanoTime();
    Catalog catalog = servers.openIcebergCatalog();
    try (RunningSink sink = SinkApp.start(SinkConfig.from(Settings.of(SinkFixtures.settings(servers, topics, namespace))))) {
      SinkFixtures.produce(servers, topics.rewardedTrajectories(), List.of(rewarded("old", 1, 0.5, T0, 2)),
          r -> r.getTrajectory().getTrajectoryId());
      await().atMost(TIMEOUT).until(() -> catalog.tableExists(TableIdentifier.of(namespace, TableNames.TRAJECTORIES)));
      Table table = SinkFixtures.table(catalog, namespace, TableNames.TRAJECTORIES);
      await().atMost(TIMEOUT).until(() -> SinkFixtures.versions(table).size() == 1);

      // When a writer registers a newer schema whose Trajectory has an optional "difficulty" and sends with it
      Schema evolved = withDifficulty(RewardedTrajectory.getClassSchema());
      int id = HttpSchemaRegistry.builder(servers.registryUrl()).build()
          .register(topics.rewardedTrajectories().valueSubject(), evolved);
      GenericRecord record = asEvolved(rewarded("new", 1, 0.9, T0, 2), evolved);
      ((GenericRecord) record.get("trajectory")).put("difficulty", "hard");
      SinkFixtures.produceRaw(servers, topics.rewardedTrajectories().name(), "new".getBytes(StandardCharsets.UTF_8),
          confluentBytes(id, evolved, record));

      // Then the table gains the column, the new row has its value and the old row null
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(SinkFixtures.versions(table)).hasSize(2));
      table.refresh();
      assertThat(table.schema().findField("difficulty")).isNotNull();
      Map<String, Object> difficulty = new HashMap<>();
      SinkFixtures.rows(table, null).forEach(r -> difficulty.put((String) r.getField("trajectory_id"), r.getField("difficulty")));
      assertThat(difficulty).containsEntry("new", "hard").containsEntry("old", null);
    }
  }

  @Test
  void aNewOptionalOutcomeFieldBecomesANewColumnOfTheOutcomesTable(Endpoints servers) throws Exception {
    // Given the sink running with an outcome row of today's schema
    Topics topics = SinkFixtures.provision(servers, "evolve-outcomes");
    String namespace = "it_evolve_outcomes_" + System.nanoTime();
    Catalog catalog = servers.openIcebergCatalog();
    try (RunningSink sink = SinkApp.start(SinkConfig.from(Settings.of(SinkFixtures.settings(servers, topics, namespace))))) {
      SinkFixtures.produce(servers, topics.outcomes(), List.of(SinkFixtures.outcome("o-old", "t-1", "tests_passed", 1.0)),
          Outcome::getTrajectoryId);
      await().atMost(TIMEOUT).until(() -> catalog.tableExists(TableIdentifier.of(namespace, TableNames.OUTCOMES)));
      Table table = SinkFixtures.table(catalog, namespace, TableNames.OUTCOMES);
      await().atMost(TIMEOUT).until(() -> SinkFixtures.rows(table, null).size() == 1);

      // When a writer registers a newer Outcome schema with an optional "ci_run" and sends with it
      Schema evolved = withOptionalString(Outcome.getClassSchema(), null, "ci_run");
      int id = HttpSchemaRegistry.builder(servers.registryUrl()).build().register(topics.outcomes().valueSubject(), evolved);
      GenericRecord record = asEvolved(SinkFixtures.outcome("o-new", "t-2", "tests_passed", 0.0), Outcome.getClassSchema(),
          evolved);
      record.put("ci_run", "ci-481");
      SinkFixtures.produceRaw(servers, topics.outcomes().name(), "t-2".getBytes(StandardCharsets.UTF_8),
          confluentBytes(id, evolved, record));

      // Then the outcomes table gains the column, the new row has its value and the old row null
      await().atMost(TIMEOUT).until(() -> SinkFixtures.rows(table, null).size() == 2);
      table.refresh();
      assertThat(table.schema().findField("ci_run")).isNotNull();
      Map<String, Object> runs = new HashMap<>();
      SinkFixtures.rows(table, null).forEach(r -> runs.put((String) r.getField("outcome_id"), r.getField("ci_run")));
      assertThat(runs).containsEntry("o-new", "ci-481").containsEntry("o-old", null);
    }
  }

  /** The schema with {@code difficulty: ["null","string"] = null} added to the nested Trajectory record. */
  private static Schema withDifficulty(Schema schema) throws Exception {
    return withOptionalString(schema, "trajectory", "difficulty");
  }

  /**
   * The schema with {@code name: ["null","string"] = null} added to its top-level record, or to the
   * record of field {@code inField} when not null.
   */
  private static Schema withOptionalString(Schema schema, String inField, String name) throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(schema.toString());
    ObjectNode record = root;
    if (inField != null) {
      for (var field : root.withArray("fields")) {
        if (field.get("name").asText().equals(inField)) {
          record = (ObjectNode) field.get("type");
        }
      }
    }
    ObjectNode added = record.withArray("fields").addObject();
    added.put("name", name);
    added.putArray("type").add("null").add("string");
    added.putNull("default");
    added.put("doc", "Added by a newer writer.");
    return new Schema.Parser().parse(json.writeValueAsString(root));
  }

  private static GenericRecord asEvolved(RewardedTrajectory value, Schema evolved) throws Exception {
    return asEvolved(value, RewardedTrajectory.getClassSchema(), evolved);
  }

  /** {@code value} read as a record of {@code evolved}: every new field at its default. */
  private static <T> GenericRecord asEvolved(T value, Schema writer, Schema evolved) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<T>(writer).write(value, encoder);
    encoder.flush();
    return new GenericDatumReader<GenericRecord>(writer, evolved, GenericData.get())
        .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
  }

  private static byte[] confluentBytes(int schemaId, Schema schema, GenericRecord record) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
