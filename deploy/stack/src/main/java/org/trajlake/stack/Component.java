package org.trajlake.stack;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The parts of the local stack. Three are server processes; the Iceberg catalog is a SQLite file. */
public enum Component {
  KAFKA(true),
  REGISTRY(true),
  OPENSEARCH(true),
  ICEBERG(false);

  private final boolean process;

  Component(boolean process) {
    this.process = process;
  }

  /** True for the components that run as their own process (and so have a pid and a log). */
  public boolean isProcess() {
    return process;
  }

  /** The lower-case name used in log files, run files and the status table. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Set<Component> all() {
    return EnumSet.allOf(Component.class);
  }

  public static Component fromId(String id) {
    for (Component component : values()) {
      if (component.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
        return component;
      }
    }
    throw new IllegalArgumentException(
        "unknown component '" + id + "'; expected one of kafka, registry, opensearch, iceberg");
  }
}
