/**
 * The hot loop: embeds and indexes trajectories and their tool-call steps into OpenSearch with idempotent versioned writes, and serves hybrid recall (library, HTTP endpoint, MCP tool).
 *
 * <p>Not built yet: this module holds its place in the reactor for the issue that builds it.
 */
package org.trajlake.recall;
