package org.trajlake.schema.registry;

/**
 * A schema registry call failed. Carries what the registry said, so callers and logs can tell a
 * refused request (4xx) from a broken registry (5xx).
 */
public class SchemaRegistryException extends RuntimeException {
  /** {@link #status()} when no HTTP response was received. */
  public static final int NO_STATUS = -1;
  /** {@link #errorCode()} when the registry's response carried no {@code error_code}. */
  public static final int NO_ERROR_CODE = -1;

  private static final long serialVersionUID = 1L;

  private final int status;
  private final int errorCode;
  private final String registryMessage;

  public SchemaRegistryException(
      String message, int status, int errorCode, String registryMessage, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorCode = errorCode;
    this.registryMessage = registryMessage == null ? "" : registryMessage;
  }

  public SchemaRegistryException(String message, int status, int errorCode, String registryMessage) {
    this(message, status, errorCode, registryMessage, null);
  }

  /** The HTTP status of the response, or {@link #NO_STATUS}. */
  public int status() {
    return status;
  }

  /** The registry's {@code error_code} (for example 40401 subject not found), or {@link #NO_ERROR_CODE}. */
  public int errorCode() {
    return errorCode;
  }

  /** The registry's own {@code message}, or the empty string. */
  public String registryMessage() {
    return registryMessage;
  }
}
