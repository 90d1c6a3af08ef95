package org.trajlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.trajlake.ingest.state.TrajectoryState;
import org.trajlake.runtime.DeadLetter;
import org.trajlake.schema.Step;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryEvent;
import org.trajlake.schema.TrajectoryStatus;

/** Repeats of an event, repeats of a seq, and events that come after their trajectory was emitted. */
class DuplicatesAndLateEventsTest {

  @Test
  void aRepeatedEventIsHeldOnce() {
    try (IngestDriver ingest = new IngestDriver()) {
      // Given an agent that retried sending step 1
      List<TrajectoryEvent> events = Events.trajectory("d1", 3);
      ingest.send(events.get(0));
      ingest.send(events.get(1));
      ingest.send(events.get(1));

      // When the trajectory ends
      ingest.send(events.get(2));

      // Then step 1 is in it once, nothing was dead-lettered, and the repeat was counted
      assertThat(ingest.emitted()).singleElement().satisfies(t ->
          assertThat(t.getSteps()).extracting(Step::getSeq).containsExactly(0L, 1L, 2L));
      assertThat(ingest.deadLetters()).isEmpty();
      assertThat(ingest.counter("trajlake.duplicates")).isEqualTo(1);
    }
  }

  @Test
  void aRepeatAfterTheTrajectoryWasEmittedMakesNoNewVersion() {
    try (IngestDriver ingest = new IngestDriver()) {
      // Given an emitted trajectory
      List<TrajectoryEvent> events = Events.trajectory("d2", 3);
      events.forEach(ingest::send);
      assertThat(ingest.emitted()).hasSize(1);

      // When its END is delivered again
      ingest.send(events.get(2));

      // Then no second version comes out
      assertThat(ingest.emitted()).isEmpty();
      assertThat(ingest.deadLetters()).isEmpty();
    }
  }

  @Test
  void anEventRefusedByItsTrajectoryIsJudgedAgainWhenSentCorrected() {
    try (IngestDriver ingest = new IngestDriver()) {
      // Given step 1 refused for naming another workspace than its trajectory's
      ingest.send(Events.event("d9", 0, StepKind.OBSERVATION));
      ingest.send(Events.step("d9", 1, StepKind.THOUGHT).setWorkspace("team-b").build());
      assertThat(ingest.deadLetters()).singleElement()
          .satisfies(dead -> assertThat(IngestDriver.deadLetterOf(dead).reason()).isEqualTo("workspace-mismatch"));

      // When the agent sends it again corrected, under the same event_id, and the trajectory ends
      ingest.send(Events.event("d9", 1, StepKind.THOUGHT));
      ingest.send(Events.event("d9", 2, StepKind.END));

      // Then the corrected step is held, not dropped as a repeat of the refused one
      assertThat(ingest.emitted()).singleElement().satisfies(t ->
          assertThat(t.getSteps()).extracting(Step::getSeq).containsExactly(0L, 1L, 2L));
      assertThat(ingest.counter("trajlake.duplicates")).isZero();
    }
  }

  @Test
  void aRepeatedSeqKeepsTheFirstEventAndDeadLettersTheOther() {
    try (IngestDriver ingest = new IngestDriver()) {
      // Given step 1 twice with two different event ids and contents
      ingest.send(Events.event("d3", 0, StepKind.OBSERVATION));
      ingest.send(Events.step("d3", 1, StepKind.THOUGHT).setEventId("first").setContent("first thought").build());
      byte[] second = ingest.send(Events.step("d3", 1, StepKind.THOUGHT).setEventId("second").setContent("other").build());
      ingest.send(Events.event("d3", 2, StepKind.END));

      // Then the first in log order is kept and the second is in the DLQ, bytes intact
      assertThat(ingest.emitted()).singleElement().satisfies(t ->
          assertThat(t.getSteps().get(1).getContent()).isEqualTo("first thought"));
      TestRecord<byte[], byte[]> dead = ingest.deadLetters().get(0);
      assertThat(IngestDriver.deadLetterOf(dead).reason()).isEqualTo("repeated-seq");
      assertThat(IngestDriver.deadLetterOf(dead).detail()).contains("first").contains("second");
      assertThat(dead.value()).isEqualTo(second);
    }
  }

  @Test
  void aLateEventMakesANewVersion() {
    try (IngestDriver ingest = new IngestDriver()) {
      // Given a trajectory emitted without step 1 (END arrived, grace passed)
      ingest.send(Events.event("l1", 0, StepKind.OBSERVATION));
      ingest.send(Events.event("l1", 2, StepKind.END));
      ingest.advance(Duration.ofSeconds(11));
      assertThat(ingest.emitted()).singleElement().extracting(Trajectory::getVersion).isEqualTo(1);

      // When step 1 arrives late
      ingest.send(Events.event("l1", 1, StepKind.THOUGHT));

      // Then version 2 comes out with all three steps
      assertThat(ingest.emitted()).singleElement().satisfies(t -> {
        assertThat(t.getVersion()).isEqualTo(2);
        assertThat(t.getSteps()).extracting(Step::getSeq).containsExactly(0L, 1L, 2L);
      });
    }
  }

  @Test
  void anEndAfterTheInactivityGapTurnsIncompleteIntoItsStatus() {
    try (IngestDriver ingest = new IngestDriver()) {
      // Given a slow agent: emitted INCOMPLETE after the gap
      ingest.send(Events.event("l2", 0, StepKind.OBSERVATION));
      ingest.advance(Duration.ofMinutes(31));
      assertThat(ingest.emitted()).singleElement().extracting(Trajectory::getStatus).isEqualTo(TrajectoryStatus.INCOMPLETE);

      // When its END arrives within the late window
      ingest.send(Events.event("l2", 1, StepKind.END));

      // Then version 2 says SUCCESS
      assertThat(ingest.emitted()).singleElement().satisfies(t -> {
        assertThat(t.getVersion()).isEqualTo(2);
        assertThat(t.getStatus()).isEqualTo(TrajectoryStatus.SUCCESS);
      });
    }
  }

  @Test
  void aLateEventGoesToTheDeadLetterTopicWhenThePolicySaysSo() {
    try (IngestDriver ingest = new IngestDriver(Map.of(IngestConfig.LATE_POLICY, "dlq"))) {
      // Given an emitted trajectory
      Events.trajectory("l3", 3).forEach(ingest::send);
      assertThat(ingest.emitted()).hasSize(1);

      // When another step arrives
      byte[] late = ingest.send(Events.event("l3", 3, StepKind.MESSAGE));

      // Then it is dead-lettered as late, and no new version comes out
      TestRecord<byte[], byte[]> dead = ingest.deadLetters().get(0);
      assertThat(IngestDriver.deadLetterOf(dead).reason()).isEqualTo("late");
      assertThat(IngestDriver.deadLetterOf(dead).detail()).contains("ingest.late.policy=dlq");
      assertThat(dead.value()).isEqualTo(late);
      assertThat(ingest.emitted()).isEmpty();
    }
  }

  @Test
  void anEventAfterTheLateWindowIsDeadLetteredAsLateWhateverThePolicy() {
    try (IngestDriver ingest = new IngestDriver()) {
      // Given a trajectory emitted more than the late window (1 h) ago
      Events.trajectory("l4", 3).forEach(ingest::send);
      ingest.emitted();
      ingest.advance(Duration.ofMinutes(61));

      // When another step arrives
      ingest.send(Events.event("l4", 3, StepKind.MESSAGE));

      // Then it is dead-lettered as late; no version, no new trajectory
      assertThat(ingest.deadLetters()).extracting(r -> IngestDriver.deadLetterOf(r).reason()).containsExactly("late");
      ingest.advance(Duration.ofMinutes(31));
      assertThat(ingest.emitted()).isEmpty();
    }
  }

  @Test
  void aClosedTrajectoryIsForgottenAfterItsRetention() {
    try (IngestDriver ingest = new IngestDriver(Map.of(IngestConfig.LATE_WINDOW_MS, "60000",
        IngestConfig.CLOSED_RETENTION_MS, "120000"))) {
      // Given an emitted trajectory
      Events.trajectory("l5", 3).forEach(ingest::send);
      KeyValueStore<String, TrajectoryState> states = ingest.driver.getKeyValueStore(IngestTopology.STATES);
      KeyValueStore<org.apache.kafka.common.utils.Bytes, Step> steps = ingest.driver.getKeyValueStore(IngestTopology.STEPS);

      // When the late window passes, its steps go; when the retention passes, the trajectory goes
      ingest.advance(Duration.ofSeconds(61));
      assertThat(steps.approximateNumEntries()).isZero();
      assertThat(states.get("l5")).isNotNull();
      ingest.advance(Duration.ofSeconds(121));

      // Then nothing of it is left in the stores
      assertThat(states.get("l5")).isNull();
      assertThat(ingest.driver.getKeyValueStore(IngestTopology.DEADLINES).approximateNumEntries()).isZero();
    }
  }

  @Test
  void deadLetterHeadersSayWhereTheRecordCameFrom() {
    try (IngestDriver ingest = new IngestDriver()) {
      // Given two valid events and then an invalid one
      ingest.send(Events.event("h1", 0, StepKind.OBSERVATION));
      ingest.send(Events.event("h1", 1, StepKind.THOUGHT));
      ingest.send(Events.step("h1", 2, StepKind.THOUGHT).setSeq(-1).build());

      // Then its headers name the stage, topic, partition, offset and time
      DeadLetter dead = IngestDriver.deadLetterOf(ingest.deadLetters().get(0));
      assertThat(dead.reason()).isEqualTo("negative-seq");
      assertThat(dead.stage()).isEqualTo("ingest-streams");
      assertThat(dead.sourceTopic()).isEqualTo("trajlake.events");
      assertThat(dead.sourcePartition()).isZero();
      assertThat(dead.sourceOffset()).isEqualTo(2);
      assertThat(dead.time()).isEqualTo(ingest.now());
    }
  }
}
