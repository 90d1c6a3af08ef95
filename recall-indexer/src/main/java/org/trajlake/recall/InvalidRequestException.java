package org.trajlake.recall;

/**
 * A recall request that cannot be served as asked: the caller must change it. Carries the field
 * at fault so the HTTP endpoint and the MCP tools can answer {@code {"error": ..., "field": ...}}.
 */
public final class InvalidRequestException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public InvalidRequestException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** The request field at fault, in the JSON spelling ({@code filters.reward}), or null for the whole body. */
  public String field() {
    return field;
  }
}
