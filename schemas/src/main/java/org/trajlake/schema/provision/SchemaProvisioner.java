package org.trajlake.schema.provision;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.avro.Schema;
import org.trajlake.schema.Schemas;
import org.trajlake.schema.Topic;
import org.trajlake.schema.registry.IncompatibleSchemaException;
import org.trajlake.schema.registry.SchemaRegistry;

/**
 * Registers each topic's Avro value schema under {@code <topic>-value}, in the portable form the
 * serdes look up. Idempotent: a schema already registered there is left as it is.
 */
public final class SchemaProvisioner {
  private final SchemaRegistry registry;

  public SchemaProvisioner(SchemaRegistry registry) {
    this.registry = registry;
  }

  /**
   * @throws IncompatibleSchemaException naming the subject when the registry's compatibility rule
   *     rejects the current schema
   */
  public SchemaProvisioningReport provision(Collection<? extends Topic<?, ?>> topics) {
    Map<String, Integer> registered = new LinkedHashMap<>();
    Map<String, Integer> existing = new LinkedHashMap<>();
    for (Topic<?, ?> topic : topics) {
      if (topic.valueSchema().isEmpty()) {
        continue; // raw bytes (the dead-letter topic) have no schema
      }
      Schema schema = Schemas.portable(topic.valueSchema().get());
      String subject = topic.valueSubject();
      // Looking up first keeps a re-run from creating versions, and needs no write permission.
      OptionalInt id = registry.lookup(subject, schema);
      if (id.isPresent()) {
        existing.put(subject, id.getAsInt());
      } else {
        registered.put(subject, registry.register(subject, schema));
      }
    }
    return new SchemaProvisioningReport(registered, existing);
  }
}
