/**
 * The recall-indexer service: consumes {@code <prefix>trajectories} and {@code
 * <prefix>trajectories.rewarded}, embeds what the agent did not, and writes each trajectory and its
 * tool calls to OpenSearch with external versions, at least once, so the index converges to the
 * latest version of every trajectory. Records it cannot index go to {@code <prefix>dlq} with a reason.
 *
 * <p>The API: {@link org.trajlake.recall.indexer.IndexerApp} (start, main), {@link
 * org.trajlake.recall.indexer.IndexerConfig}, {@link org.trajlake.recall.indexer.RunningIndexer} and
 * {@link org.trajlake.recall.indexer.IndexingBenchmark}; everything else is package-private.
 */
package org.trajlake.recall.indexer;
