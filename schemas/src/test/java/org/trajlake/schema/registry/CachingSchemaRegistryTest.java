package org.trajlake.schema.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class CachingSchemaRegistryTest {
  private static final Schema SCHEMA =
      SchemaBuilder.record("Ping").namespace("test").fields().requiredString("text").endRecord();

  @Test
  void aSchemaIsFetchedByIdOnlyOnce() {
    // Given a registry holding schema 1 behind the cache
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    registry.registerWithId("s", SCHEMA, 1);
    SchemaRegistry cached = new CachingSchemaRegistry(registry, 10);

    // When schema 1 is asked for three times
    for (int i = 0; i < 3; i++) {
      assertThat(cached.schemaById(1)).isEqualTo(SCHEMA);
    }

    // Then the registry was asked once
    assertThat(registry.schemaByIdCalls).hasValue(1);
  }

  @Test
  void aFoundIdIsRememberedButAMissIsNot() {
    // Given an empty registry behind the cache
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    SchemaRegistry cached = new CachingSchemaRegistry(registry, 10);

    // When a lookup misses, the schema is registered elsewhere, and it is looked up twice more
    assertThat(cached.lookup("s", SCHEMA)).isEmpty();
    registry.registerWithId("s", SCHEMA, 4);
    assertThat(cached.lookup("s", SCHEMA)).hasValue(4);
    assertThat(cached.lookup("s", SCHEMA)).hasValue(4);

    // Then the miss did not hide the new registration, and the hit was cached
    assertThat(registry.lookupCalls).hasValue(2);
  }

  @Test
  void theCacheNeverHoldsMoreThanItsCapacity() {
    // Given a cache of capacity 2 and three schemas
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    for (int id = 1; id <= 3; id++) {
      registry.registerWithId("s" + id, SchemaBuilder.fixed("F" + id).size(id), id);
    }
    SchemaRegistry cached = new CachingSchemaRegistry(registry, 2);

    // When all three are fetched, then the first again
    cached.schemaById(1);
    cached.schemaById(2);
    cached.schemaById(3);
    cached.schemaById(1);

    // Then the first had been evicted and was fetched again
    assertThat(registry.schemaByIdCalls).hasValue(4);
  }

  @Test
  void aRegisteredSchemaIsKnownByIdWithoutAFetch() {
    // Given a cache in front of an empty registry
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    SchemaRegistry cached = new CachingSchemaRegistry(registry, 10);

    // When a schema is registered through the cache and then fetched by its id
    int id = cached.register("s", SCHEMA);
    Schema fetched = cached.schemaById(id);

    // Then no fetch reached the registry
    assertThat(fetched).isEqualTo(SCHEMA);
    assertThat(registry.schemaByIdCalls).hasValue(0);
  }
}
