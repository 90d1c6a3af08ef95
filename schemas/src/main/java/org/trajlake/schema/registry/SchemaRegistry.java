package org.trajlake.schema.registry;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.avro.Schema;

/**
 * The subset of the Confluent Schema Registry REST API that trajectory-lake needs. Every
 * Confluent-compatible registry speaks it: Apicurio (ccompat), Confluent, Karapace, Redpanda.
 *
 * <p>Schemas are always Avro and self-contained (no references). Failures are {@link
 * SchemaRegistryException}s; the subtypes name the cases callers handle differently.
 */
public interface SchemaRegistry {

  /**
   * Registers {@code schema} under {@code subject} (a no-op returning the existing id when it is
   * already registered there).
   *
   * @return the registry-wide schema id
   * @throws IncompatibleSchemaException when the subject's compatibility rule rejects the schema
   */
  int register(String subject, Schema schema);

  /** The id of {@code schema} under {@code subject}, or empty when the subject or schema is unknown. */
  OptionalInt lookup(String subject, Schema schema);

  /**
   * The schema with the given id.
   *
   * @throws UnknownSchemaIdException when the registry has no schema with that id
   */
  Schema schemaById(int id);

  /** The latest version registered under {@code subject}, or empty when the subject does not exist. */
  Optional<RegisteredSchema> latest(String subject);

  /** Every subject the registry knows, in the order the registry lists them. */
  List<String> subjects();

  /**
   * Whether {@code schema} may be registered under {@code subject} as its next version. A subject
   * that does not exist yet accepts any schema.
   */
  boolean isCompatible(String subject, Schema schema);

  /** The registry-wide compatibility level, for example {@code BACKWARD}. */
  String compatibility();

  /** Sets the registry-wide compatibility level, for example {@code BACKWARD}. */
  void setCompatibility(String level);
}
