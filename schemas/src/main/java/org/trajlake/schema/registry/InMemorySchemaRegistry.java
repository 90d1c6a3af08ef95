package org.trajlake.schema.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A schema registry in memory, for tests of code that uses serdes (no server needed, as with
 * Kafka Streams' TopologyTestDriver): subjects with versions, registry-wide ids, and the
 * BACKWARD rule enforced on register like a real registry. Counts calls so tests can see caching,
 * and can be switched to failing like an unreachable registry.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {
  private final Map<String, List<RegisteredSchema>> subjects = new LinkedHashMap<>();
  private final Map<Integer, Schema> schemasById = new LinkedHashMap<>();
  private int nextId = 1;
  private String compatibility = "BACKWARD";
  private RuntimeException failure;

  public final AtomicInteger registerCalls = new AtomicInteger();
  public final AtomicInteger lookupCalls = new AtomicInteger();
  public final AtomicInteger schemaByIdCalls = new AtomicInteger();

  @Override
  public synchronized int register(String subject, Schema schema) {
    registerCalls.incrementAndGet();
    failIfBroken();
    OptionalInt existing = find(subject, schema);
    if (existing.isPresent()) {
      return existing.getAsInt();
    }
    if (!isCompatible(subject, schema)) {
      throw new IncompatibleSchemaException(subject, 409, "Schema being registered is incompatible with an earlier schema");
    }
    return add(subject, schema, idFor(schema));
  }

  /** Registers {@code schema} under {@code subject} with the given id, like a registry that already handed it out. */
  public synchronized int registerWithId(String subject, Schema schema, int id) {
    return add(subject, schema, id);
  }

  @Override
  public synchronized OptionalInt lookup(String subject, Schema schema) {
    lookupCalls.incrementAndGet();
    failIfBroken();
    return find(subject, schema);
  }

  @Override
  public synchronized Schema schemaById(int id) {
    schemaByIdCalls.incrementAndGet();
    failIfBroken();
    Schema schema = schemasById.get(id);
    if (schema == null) {
      throw new UnknownSchemaIdException(id, 40403, "Schema " + id + " not found");
    }
    return schema;
  }

  @Override
  public synchronized Optional<RegisteredSchema> latest(String subject) {
    failIfBroken();
    List<RegisteredSchema> versions = subjects.get(subject);
    return versions == null ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
  }

  @Override
  public synchronized List<String> subjects() {
    failIfBroken();
    return List.copyOf(subjects.keySet());
  }

  @Override
  public synchronized boolean isCompatible(String subject, Schema schema) {
    failIfBroken();
    Optional<RegisteredSchema> latest = latest(subject);
    if (latest.isEmpty() || !compatibility.startsWith("BACKWARD")) {
      return true;
    }
    return SchemaCompatibility.checkReaderWriterCompatibility(schema, latest.get().schema()).getType()
        == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
  }

  @Override
  public synchronized String compatibility() {
    failIfBroken();
    return compatibility;
  }

  @Override
  public synchronized void setCompatibility(String level) {
    failIfBroken();
    compatibility = level;
  }

  /** From now on every call fails with {@code failure}, until {@link #heal()}. */
  public synchronized void breakWith(RuntimeException failure) {
    this.failure = failure;
  }

  public synchronized void heal() {
    this.failure = null;
  }

  /** How many versions {@code subject} has. */
  public synchronized int versionCount(String subject) {
    return subjects.getOrDefault(subject, List.of()).size();
  }

  private void failIfBroken() {
    if (failure != null) {
      throw failure;
    }
  }

  private OptionalInt find(String subject, Schema schema) {
    for (RegisteredSchema version : subjects.getOrDefault(subject, List.of())) {
      if (version.schema().equals(schema)) {
        return OptionalInt.of(version.id());
      }
    }
    return OptionalInt.empty();
  }

  private int idFor(Schema schema) {
    // Like Confluent: the same schema under another subject keeps its id.
    for (Map.Entry<Integer, Schema> entry : schemasById.entrySet()) {
      if (entry.getValue().equals(schema)) {
        return entry.getKey();
      }
    }
    while (schemasById.containsKey(nextId)) {
      nextId++;
    }
    return nextId++;
  }

  private int add(String subject, Schema schema, int id) {
    List<RegisteredSchema> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
    versions.add(new RegisteredSchema(subject, versions.size() + 1, id, schema));
    schemasById.put(id, schema);
    return id;
  }
}
