/**
 * The cold loop: commits rewarded trajectories and outcomes into Iceberg exactly once, and the trainer-side reader (snapshots, tags, export, sampling).
 *
 * <p>Not built yet: this module holds its place in the reactor for the issue that builds it.
 */
package org.trajlake.sink;
