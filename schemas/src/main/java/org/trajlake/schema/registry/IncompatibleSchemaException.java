package org.trajlake.schema.registry;

/**
 * The registry refused to register a schema because the subject's compatibility rule (BACKWARD in
 * trajectory-lake) rejects it: HTTP 409.
 */
public class IncompatibleSchemaException extends SchemaRegistryException {
  private static final long serialVersionUID = 1L;

  private final String subject;

  public IncompatibleSchemaException(String subject, int errorCode, String reason) {
    super(
        "Schema is incompatible with the versions already registered under subject '"
            + subject
            + "': "
            + (reason == null || reason.isBlank() ? "(the registry gave no reason)" : reason)
            + ". Only compatible changes are allowed (for example a new field with a default).",
        409,
        errorCode,
        reason);
    this.subject = subject;
  }

  public String subject() {
    return subject;
  }
}
