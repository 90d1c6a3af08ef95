package org.trajlake.schema.recorder;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.trajlake.schema.TrajectoryEvent;

/** Where a {@link TrajectoryHandle} sends its events. */
interface EventSink {
  /** Sends {@code event} keyed by its trajectory id; may throw when the send fails at once. */
  CompletableFuture<RecordMetadata> send(TrajectoryEvent event);
}
