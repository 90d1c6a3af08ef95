package org.trajlake.recall.indexer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.trajlake.recall.index.IndexedTrajectory;
import org.trajlake.recall.index.TrajectoryDocuments;
import org.trajlake.schema.RewardedTrajectory;
import org.trajlake.schema.Topics;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.serde.AvroSerdeException;

/**
 * Turns an input record into what the indexer writes, or says why it cannot: the record is decoded
 * with its topic's serde, its key checked against the trajectory id, and its documents built.
 */
final class RecordDecoder {
  /** What to do with one record. */
  sealed interface Decoded {
    /** Write these documents. */
    record Index(IndexedTrajectory trajectory) implements Decoded {}

    /** Dead-letter the record. */
    record Reject(String reason, String detail) implements Decoded {}

    /** Nothing to index: a tombstone. */
    record Tombstone() implements Decoded {}
  }

  private final String trajectoriesTopic;
  private final String rewardedTopic;
  private final Deserializer<Trajectory> trajectories;
  private final Deserializer<RewardedTrajectory> rewarded;
  private final TrajectoryDocuments documents;
  private final boolean indexSteps;

  RecordDecoder(Topics topics, TrajectoryDocuments documents, boolean indexSteps) {
    this.trajectoriesTopic = topics.trajectories().name();
    this.rewardedTopic = topics.rewardedTrajectories().name();
    this.trajectories = topics.trajectories().valueSerde().deserializer();
    this.rewarded = topics.rewardedTrajectories().valueSerde().deserializer();
    this.documents = documents;
    this.indexSteps = indexSteps;
  }

  /**
   * Decodes {@code record}.
   *
   * @throws AvroSerdeException when the registry, not the record, is at fault ({@code isBadRecord()}
   *     false): every record would fail the same way, so the caller retries instead of dead-lettering
   */
  Decoded decode(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      return new Decoded.Tombstone();
    }
    if (record.key() == null) {
      return new Decoded.Reject("missing-key", "the record has no key; trajectories are keyed by trajectory_id");
    }
    String key;
    try {
      key = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(record.key())).toString();
    } catch (CharacterCodingException e) {
      return new Decoded.Reject("invalid-key", "the key is not UTF-8 text");
    }
    Trajectory trajectory;
    RewardedTrajectory reward = null;
    try {
      if (record.topic().equals(rewardedTopic)) {
        reward = rewarded.deserialize(record.topic(), record.headers(), record.value());
        trajectory = reward.getTrajectory();
      } else if (record.topic().equals(trajectoriesTopic)) {
        trajectory = trajectories.deserialize(record.topic(), record.headers(), record.value());
      } else {
        throw new IllegalStateException("not an input topic: " + record.topic());
      }
    } catch (AvroSerdeException e) {
      if (!e.reason().isBadRecord()) {
        throw e;
      }
      return new Decoded.Reject(e.reason().name().toLowerCase(Locale.ROOT).replace('_', '-'), e.getMessage());
    }
    if (!key.equals(trajectory.getTrajectoryId())) {
      return new Decoded.Reject("key-mismatch",
          "the key '" + key + "' is not the record's trajectory_id '" + trajectory.getTrajectoryId() + "'");
    }
    try {
      IndexedTrajectory indexed = reward == null ? documents.of(trajectory) : documents.of(reward);
      return new Decoded.Index(indexSteps ? indexed : withoutSteps(indexed));
    } catch (RuntimeException e) {
      // A record the schema accepts but the document rules cannot use: a bug to fix, not a reason to stop.
      return new Decoded.Reject("unindexable", "building the documents failed: " + e);
    }
  }

  private static IndexedTrajectory withoutSteps(IndexedTrajectory t) {
    return new IndexedTrajectory(t.id(), t.version(), t.document(), t.summary(), t.agentVector(), List.of());
  }
}
