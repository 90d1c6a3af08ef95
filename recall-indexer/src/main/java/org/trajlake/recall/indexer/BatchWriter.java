package org.trajlake.recall.indexer;

import java.io.IOException;
import java.util.List;
import org.trajlake.recall.index.DocumentWriter;
import org.trajlake.recall.index.IndexedTrajectory;

/** One bulk request for a batch of trajectories: {@link DocumentWriter#write}, or a fake in tests. */
@FunctionalInterface
interface BatchWriter {
  /**
   * @return per trajectory, the results of its documents
   * @throws IOException when OpenSearch cannot be reached or refuses the whole request
   */
  DocumentWriter.Result write(List<IndexedTrajectory> trajectories) throws IOException;
}
