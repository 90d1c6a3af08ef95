package org.trajlake.schema.provision;

import java.util.List;
import java.util.stream.Collectors;

/** What {@link TopicProvisioner#provision} did: the topics it created, those that existed, and misconfigured ones. */
public record TopicProvisioningReport(
    List<String> created, List<String> existing, List<CleanupPolicyMismatch> mismatches) {

  public TopicProvisioningReport {
    created = List.copyOf(created);
    existing = List.copyOf(existing);
    mismatches = List.copyOf(mismatches);
  }

  public boolean hasMismatches() {
    return !mismatches.isEmpty();
  }

  /** A human-readable summary, one line per fact. */
  public String summary() {
    StringBuilder text = new StringBuilder();
    text.append("created: ").append(created.isEmpty() ? "none" : String.join(", ", created)).append('\n');
    text.append("already existed: ").append(existing.isEmpty() ? "none" : String.join(", ", existing));
    if (hasMismatches()) {
      text.append('\n')
          .append(mismatches.stream().map(CleanupPolicyMismatch::describe).collect(Collectors.joining("\n")));
    }
    return text.toString();
  }
}
