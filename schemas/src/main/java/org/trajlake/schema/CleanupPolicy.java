package org.trajlake.schema;

/** A topic's {@code cleanup.policy}. */
public enum CleanupPolicy {
  /** Old segments are deleted after the retention time: a stream of facts. */
  DELETE("delete"),
  /** Only the latest record per key is kept: a table of the current version of each key. */
  COMPACT("compact");

  private final String configValue;

  CleanupPolicy(String configValue) {
    this.configValue = configValue;
  }

  /** The value of Kafka's {@code cleanup.policy} topic config. */
  public String configValue() {
    return configValue;
  }
}
