package org.trajlake.schema.registry;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.avro.Schema;

/**
 * Remembers the registry's answers that cannot change, so the serde's hot path makes no HTTP call:
 * the schema behind an id (ids are immutable) and the id of a (subject, schema) pair once it is
 * registered. Both caches are bounded, so a producer writing ever-new schemas cannot grow them
 * without end. Questions whose answer can change (latest, subjects, compatibility) go through.
 */
public final class CachingSchemaRegistry implements SchemaRegistry {
  private final SchemaRegistry delegate;
  private final BoundedCache<Integer, Schema> schemasById;
  private final BoundedCache<SubjectSchema, Integer> idsBySubjectSchema;

  private record SubjectSchema(String subject, Schema schema) {}

  /** Caches at most {@code capacity} schemas by id and {@code capacity} ids by (subject, schema). */
  public CachingSchemaRegistry(SchemaRegistry delegate, int capacity) {
    this.delegate = delegate;
    this.schemasById = new BoundedCache<>(capacity);
    this.idsBySubjectSchema = new BoundedCache<>(capacity);
  }

  @Override
  public int register(String subject, Schema schema) {
    int id = idsBySubjectSchema.get(new SubjectSchema(subject, schema), key -> delegate.register(subject, schema));
    schemasById.put(id, schema);
    return id;
  }

  @Override
  public OptionalInt lookup(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = idsBySubjectSchema.getIfPresent(key);
    if (cached != null) {
      return OptionalInt.of(cached);
    }
    // A miss is not cached: the schema may be registered a moment later.
    OptionalInt id = delegate.lookup(subject, schema);
    id.ifPresent(found -> idsBySubjectSchema.put(key, found));
    return id;
  }

  @Override
  public Schema schemaById(int id) {
    return schemasById.get(id, delegate::schemaById);
  }

  @Override
  public Optional<RegisteredSchema> latest(String subject) {
    return delegate.latest(subject);
  }

  @Override
  public List<String> subjects() {
    return delegate.subjects();
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    return delegate.isCompatible(subject, schema);
  }

  @Override
  public String compatibility() {
    return delegate.compatibility();
  }

  @Override
  public void setCompatibility(String level) {
    delegate.setCompatibility(level);
  }
}
