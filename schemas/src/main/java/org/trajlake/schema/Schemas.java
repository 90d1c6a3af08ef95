package org.trajlake.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.apache.avro.Schema;

/** The Avro schemas of trajectory-lake's topics, in one place for provisioning and compatibility checks. */
public final class Schemas {
  private static final ObjectMapper JSON = new ObjectMapper();
  // Added by the Avro code generator so strings decode as java.lang.String; meaningless elsewhere.
  private static final String JAVA_STRING_PROPERTY = "avro.java.string";

  private Schemas() {}

  /** Every top-level record schema a topic carries, as the generated classes declare them. */
  public static List<Schema> topLevel() {
    return List.of(
        TrajectoryEvent.getClassSchema(),
        Outcome.getClassSchema(),
        Trajectory.getClassSchema(),
        RewardedTrajectory.getClassSchema());
  }

  /**
   * {@code schema} as a client in any language writes it: without the Java-only {@code
   * avro.java.string} properties of generated classes. This is the form registered in the schema
   * registry, so a Python or JavaScript producer holding the same .avsc finds the same id.
   */
  public static Schema portable(Schema schema) {
    try {
      JsonNode json = JSON.readTree(schema.toString());
      removeJavaProperties(json);
      return new Schema.Parser().parse(JSON.writeValueAsString(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Avro printed a schema that is not JSON: " + schema.getFullName(), e);
    }
  }

  private static void removeJavaProperties(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.remove(JAVA_STRING_PROPERTY);
    }
    node.forEach(Schemas::removeJavaProperties);
  }
}
