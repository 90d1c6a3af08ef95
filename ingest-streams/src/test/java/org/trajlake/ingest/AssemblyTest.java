package org.trajlake.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.trajlake.schema.Step;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.Trajectory;
import org.trajlake.schema.TrajectoryEvent;
import org.trajlake.schema.TrajectoryStatus;

/** How steps become trajectories: order, completeness, the END grace and the inactivity gap. */
class AssemblyTest {
  private final IngestDriver ingest = new IngestDriver();

  @AfterEach
  void close() {
    ingest.close();
  }

  @Test
  void trajectoryIsEmittedOnItsEndWithStepsInOrder() {
    // Given the events of a 6-step trajectory, in order
    List<TrajectoryEvent> events = Events.trajectory("t1", 6);

    // When they arrive
    events.forEach(ingest::send);

    // Then one trajectory comes out, at once, with every step in seq order and END's status
    List<Trajectory> emitted = ingest.emitted();
    assertThat(emitted).hasSize(1);
    Trajectory trajectory = emitted.get(0);
    assertThat(trajectory.getSteps()).extracting(Step::getSeq).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    assertThat(trajectory.getStatus()).isEqualTo(TrajectoryStatus.SUCCESS);
    assertThat(trajectory.getVersion()).isEqualTo(1);
    assertThat(trajectory.getWorkspace()).isEqualTo("team-a");
    assertThat(trajectory.getTaskId()).isEqualTo("task-1");
    assertThat(trajectory.getStartedAt()).isEqualTo(Events.at(0));
    assertThat(trajectory.getEndedAt()).isEqualTo(Events.at(5));
    assertThat(trajectory.getSteps().get(2).getToolCall().getName()).isEqualTo("bash");
    assertThat(ingest.deadLetters()).isEmpty();
  }

  @Test
  void outOfOrderEventsAreReordered() {
    // Given a trajectory whose events arrive shuffled, END first
    List<TrajectoryEvent> events = new ArrayList<>(Events.trajectory("t2", 8));
    Collections.reverse(events);

    // When they arrive
    events.forEach(ingest::send);

    // Then it is emitted once, when the last missing step arrives, in seq order
    List<Trajectory> emitted = ingest.emitted();
    assertThat(emitted).hasSize(1);
    assertThat(emitted.get(0).getSteps()).extracting(Step::getSeq).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
  }

  @Test
  void endStillMissingStepsIsEmittedWithoutThemAfterTheGrace() {
    // Given steps 0 and 2 (END) but never step 1
    ingest.send(Events.event("t3", 0, StepKind.OBSERVATION));
    ingest.send(Events.event("t3", 2, StepKind.END));

    // When less than the grace passes, nothing; when it has passed, the trajectory comes out as it is
    ingest.advance(Duration.ofSeconds(5));
    assertThat(ingest.emitted()).isEmpty();
    ingest.advance(Duration.ofSeconds(6));

    // Then with the two steps it has and END's status
    List<Trajectory> emitted = ingest.emitted();
    assertThat(emitted).hasSize(1);
    assertThat(emitted.get(0).getSteps()).extracting(Step::getSeq).containsExactly(0L, 2L);
    assertThat(emitted.get(0).getStatus()).isEqualTo(TrajectoryStatus.SUCCESS);
    assertThat(ingest.counter("trajlake.records.out", "missing_steps", "true")).isEqualTo(1);
  }

  @Test
  void trajectoryWithoutEndIsEmittedIncompleteAfterTheInactivityGap() {
    // Given three steps and then silence
    ingest.send(Events.event("t4", 0, StepKind.OBSERVATION));
    ingest.send(Events.event("t4", 1, StepKind.THOUGHT));
    ingest.send(Events.event("t4", 2, StepKind.ACTION));

    // When 29 minutes pass, nothing; after 30 the gap has passed
    ingest.advance(Duration.ofMinutes(29));
    assertThat(ingest.emitted()).isEmpty();
    ingest.advance(Duration.ofMinutes(1).plusSeconds(2));

    // Then it is emitted INCOMPLETE with what it had
    List<Trajectory> emitted = ingest.emitted();
    assertThat(emitted).hasSize(1);
    assertThat(emitted.get(0).getStatus()).isEqualTo(TrajectoryStatus.INCOMPLETE);
    assertThat(emitted.get(0).getSteps()).hasSize(3);
  }

  @Test
  void eachNewEventRestartsTheInactivityGap() {
    // Given a step, then another 20 minutes later
    ingest.send(Events.event("t5", 0, StepKind.OBSERVATION));
    ingest.advance(Duration.ofMinutes(20));
    ingest.send(Events.event("t5", 1, StepKind.THOUGHT));

    // When 20 more minutes pass (40 since the first step, 20 since the last)
    ingest.advance(Duration.ofMinutes(20));

    // Then it is still open
    assertThat(ingest.emitted()).isEmpty();
  }

  @Test
  void tagsAreUnitedAndAttributesMergedWithLaterStepsWinning() {
    // Given steps carrying tags and attributes
    ingest.send(Events.step("t6", 0, StepKind.OBSERVATION).setTags(List.of("repo:api", "lang:java"))
        .setAttributes(Map.of("branch", "main", "ci", "github")).build());
    ingest.send(Events.step("t6", 1, StepKind.END).setTags(List.of("lang:java", "outcome:fixed"))
        .setAttributes(Map.of("branch", "fix-123")).setEmbedding(List.of(0.5f, 0.25f)).build());

    // Then the trajectory carries the union, sorted, and the merged attributes and END's embedding
    Trajectory trajectory = ingest.emitted().get(0);
    assertThat(trajectory.getTags()).containsExactly("lang:java", "outcome:fixed", "repo:api");
    assertThat(trajectory.getAttributes()).containsEntry("branch", "fix-123").containsEntry("ci", "github");
    assertThat(trajectory.getEmbedding()).containsExactly(0.5f, 0.25f);
  }

  @Test
  void endIsAcceptedEvenWhenTheStepLimitIsReached() {
    // Given a limit of 3 steps
    try (IngestDriver limited = new IngestDriver(Map.of(IngestConfig.MAX_STEPS, "3"))) {
      // When four ordinary steps and an END arrive
      for (int seq = 0; seq < 4; seq++) {
        limited.send(Events.event("t7", seq, StepKind.THOUGHT));
      }
      limited.send(Events.event("t7", 4, StepKind.END));

      // Then the fourth step is dead-lettered, END still closes it (with the gap where step 3 was)
      assertThat(limited.deadLetters()).extracting(r -> IngestDriver.deadLetterOf(r).reason()).containsExactly("too-many-steps");
      limited.advance(Duration.ofSeconds(11));
      assertThat(limited.emitted()).singleElement().satisfies(t ->
          assertThat(t.getSteps()).extracting(Step::getSeq).containsExactly(0L, 1L, 2L, 4L));
    }
  }

  @Test
  void trajectoriesAreAssembledIndependently() {
    // Given two trajectories whose events interleave
    List<TrajectoryEvent> a = Events.trajectory("ta", 4);
    List<TrajectoryEvent> b = Events.trajectory("tb", 3);

    // When they arrive interleaved
    for (int i = 0; i < 4; i++) {
      ingest.send(a.get(i));
      if (i < 3) {
        ingest.send(b.get(i));
      }
    }

    // Then each comes out whole, b first because it ended first
    assertThat(ingest.emitted()).extracting(Trajectory::getTrajectoryId, t -> t.getSteps().size())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("tb", 3), org.assertj.core.groups.Tuple.tuple("ta", 4));
  }
}
