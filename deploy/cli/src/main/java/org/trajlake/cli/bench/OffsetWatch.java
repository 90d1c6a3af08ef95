package org.trajlake.cli.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Watches a Streams application work through a backlog by comparing its committed offsets with the
 * end offsets of its inputs, so the measurement costs the machine almost nothing (no consumer
 * re-reading the output). Under exactly-once an offset is committed only with the outputs it caused.
 */
final class OffsetWatch {
  private static final Duration POLL = Duration.ofMillis(100);

  private final Admin admin;

  OffsetWatch(Admin admin) {
    this.admin = admin;
  }

  /** When progress was first seen, and when every input was consumed. */
  record Progress(Instant firstCommit, Instant done) {}

  Progress awaitConsumed(String groupId, Collection<String> inputTopics, Instant started, Duration timeout) throws Exception {
    Map<TopicPartition, Long> ends = endOffsets(inputTopics);
    long total = ends.values().stream().mapToLong(Long::longValue).sum();
    Instant deadline = started.plus(timeout);
    Instant firstCommit = null;
    while (Instant.now().isBefore(deadline)) {
      Map<TopicPartition, Long> committed = committed(groupId);
      long done = 0;
      for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
        done += Math.min(end.getValue(), committed.getOrDefault(end.getKey(), 0L));
      }
      if (firstCommit == null && done > 0) {
        firstCommit = Instant.now();
      }
      if (done >= total) {
        return new Progress(firstCommit == null ? Instant.now() : firstCommit, Instant.now());
      }
      Thread.sleep(POLL.toMillis());
    }
    throw new IllegalStateException(groupId + " did not consume " + inputTopics + " within " + timeout.toSeconds() + " s");
  }

  Map<TopicPartition, Long> endOffsets(Collection<String> topics) throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    admin.describeTopics(topics).allTopicNames().get().forEach((name, description) ->
        description.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
    return admin.listOffsets(request).all().get().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  private Map<TopicPartition, Long> committed(String groupId) throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
    Map<TopicPartition, Long> committed = new HashMap<>();
    offsets.forEach((partition, offset) -> {
      if (offset != null) {
        committed.put(partition, offset.offset());
      }
    });
    return committed;
  }
}
