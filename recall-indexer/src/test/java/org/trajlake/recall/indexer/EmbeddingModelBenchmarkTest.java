package org.trajlake.recall.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.trajlake.recall.indexer.EmbeddingModelBenchmark.Task;

class EmbeddingModelBenchmarkTest {
  private static final List<Task> TASKS = List.of(
      new Task("flaky", "a", "text a", "request a"),
      new Task("flaky", "b", "text b", "request b"),
      new Task("leak", "c", "text c", "request c"));

  @Test
  void ranksEveryTaskForEachRequest() {
    // Given request a nearest its task, request b nearest task a (same topic), request c third of three
    List<float[]> tasks = List.of(new float[] {1, 0, 0}, new float[] {0, 1, 0}, new float[] {0, 0, 1});
    List<float[]> requests = List.of(new float[] {1, 0.1f, 0}, new float[] {1, 0.5f, 0}, new float[] {1, 0.9f, 0.2f});

    // When scored
    EmbeddingModelBenchmark.Figure figure = EmbeddingModelBenchmark.score("m", TASKS, tasks, requests, 10);

    // Then a is first, b second, c third; the first answer is of the right topic for a and b only
    assertThat(figure.top1()).isEqualTo(1.0 / 3);
    assertThat(figure.top5()).isEqualTo(1.0);
    assertThat(figure.meanReciprocalRank()).isEqualTo((1 + 0.5 + 1.0 / 3) / 3);
    assertThat(figure.topicTop1()).isEqualTo(2.0 / 3);
  }

  @Test
  void aTieCountsAgainstTheRightTask() {
    // Given request a exactly between tasks a and b
    List<float[]> tasks = List.of(new float[] {1, 0, 0}, new float[] {0, 1, 0}, new float[] {0, 0, 1});
    List<float[]> requests = List.of(new float[] {1, 1, 0}, new float[] {0, 1, 0}, new float[] {0, 0, 1});

    // When scored
    EmbeddingModelBenchmark.Figure figure = EmbeddingModelBenchmark.score("m", TASKS, tasks, requests, 10);

    // Then a is not counted first
    assertThat(figure.top1()).isEqualTo(2.0 / 3);
  }

  @Test
  void theShippedSetIsThirtyTopicsOfFourTasks() {
    // When the hand-written set is read
    List<Task> tasks = EmbeddingModelBenchmark.tasks();

    // Then it holds 120 tasks, 4 per topic, each with a request that is not its text
    Map<String, Long> perTopic = tasks.stream().collect(Collectors.groupingBy(Task::topic, Collectors.counting()));
    assertThat(tasks).hasSize(120);
    assertThat(perTopic).hasSize(30).allSatisfy((topic, count) -> assertThat(count).isEqualTo(4));
    assertThat(tasks).allSatisfy(task -> assertThat(task.request()).isNotEqualToIgnoringCase(task.text()));
  }

  @Test
  void refusesAMalformedLine() {
    assertThatThrownBy(() -> EmbeddingModelBenchmark.parse(List.of("topic\tid\tonly three")))
        .hasMessageContaining("not a task line");
    assertThatThrownBy(() -> EmbeddingModelBenchmark.parse(List.of("t\tsame\tx\ty", "t\tsame\tz\tw")))
        .hasMessageContaining("unique id");
  }
}
