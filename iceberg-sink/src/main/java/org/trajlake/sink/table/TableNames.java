package org.trajlake.sink.table;

import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/** The training tables and the columns the sink and the readers rely on by name. */
public final class TableNames {
  public static final String DEFAULT_NAMESPACE = "trajlake";
  public static final String TRAJECTORIES = "trajectories";
  public static final String OUTCOMES = "outcomes";

  /** Identifier field of the trajectories table: one row per trajectory in every snapshot. */
  public static final String TRAJECTORY_ID = "trajectory_id";
  /** Partition source of the trajectories table (day). */
  public static final String ENDED_AT = "ended_at";
  /** Partition source of the outcomes table (day). */
  public static final String OUTCOME_TS = "ts";
  /** The rewarded version: a row is replaced by a higher one. */
  public static final String VERSION = "version";

  private TableNames() {}

  public static TableIdentifier trajectories(String namespace) {
    return TableIdentifier.of(Namespace.of(namespace), TRAJECTORIES);
  }

  public static TableIdentifier outcomes(String namespace) {
    return TableIdentifier.of(Namespace.of(namespace), OUTCOMES);
  }
}
