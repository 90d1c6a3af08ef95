package org.trajlake.schema.registry;

/** The registry has no schema with the requested id (HTTP 404, error code 40403). */
public class UnknownSchemaIdException extends SchemaRegistryException {
  private static final long serialVersionUID = 1L;

  private final int id;

  public UnknownSchemaIdException(int id, int errorCode, String registryMessage) {
    super("The schema registry has no schema with id " + id, 404, errorCode, registryMessage);
    this.id = id;
  }

  public int id() {
    return id;
  }
}
