package org.trajlake.schema.provision;

import org.trajlake.schema.CleanupPolicy;

/** A topic that already exists with another cleanup policy than trajectory-lake needs. */
public record CleanupPolicyMismatch(String topic, CleanupPolicy expected, String actual) {
  /** What is wrong and how to fix it, in one sentence. */
  public String describe() {
    return "topic "
        + topic
        + " exists with cleanup.policy="
        + actual
        + " but needs "
        + expected.configValue()
        + "; alter it (kafka-configs.sh --alter --entity-type topics --entity-name "
        + topic
        + " --add-config cleanup.policy="
        + expected.configValue()
        + ") or delete and recreate it";
  }
}
