package org.trajlake.schema.registry;

/**
 * The registry could not be reached, or kept answering with server errors, after every retry.
 * Nothing is wrong with the request itself; trying again later may succeed.
 */
public class RegistryUnavailableException extends SchemaRegistryException {
  private static final long serialVersionUID = 1L;

  private final String url;

  public RegistryUnavailableException(
      String url, int attempts, int lastStatus, String lastProblem, Throwable cause) {
    super(
        "Schema registry at "
            + url
            + " is unavailable after "
            + attempts
            + (attempts == 1 ? " attempt" : " attempts")
            + ": "
            + lastProblem
            + ". Check that the registry is running and that schema.registry.url points at it.",
        lastStatus,
        NO_ERROR_CODE,
        lastProblem,
        cause);
    this.url = url;
  }

  /** The URL of the last request that failed. */
  public String url() {
    return url;
  }
}
