package org.trajlake.schema.provision;

import java.util.Map;

/** What {@link SchemaProvisioner#provision} did: subject to schema id, for new and already registered schemas. */
public record SchemaProvisioningReport(Map<String, Integer> registered, Map<String, Integer> existing) {
  public SchemaProvisioningReport {
    registered = Map.copyOf(registered);
    existing = Map.copyOf(existing);
  }

  /** The schema id of {@code subject}, whether it was registered now or before. */
  public Integer idOf(String subject) {
    return registered.containsKey(subject) ? registered.get(subject) : existing.get(subject);
  }
}
