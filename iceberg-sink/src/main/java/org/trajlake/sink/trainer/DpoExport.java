package org.trajlake.sink.trainer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A DPO export in two reads of the same snapshot: the pairs are planned from (task_id, trajectory_id,
 * reward) alone, a read of three flat columns, and only the trajectories the pairs name are then turned
 * into messages, so memory holds the paired trajectories rather than the table. A line is
 * {@code {"prompt", "chosen", "rejected", "task_id", "chosen_id", "rejected_id", "chosen_reward",
 * "rejected_reward"}}: the prompt is the chosen trajectory's messages up to and including its task (the
 * first user message), chosen and rejected are what each trajectory did after its own task message.
 * Rows without a task id or a reward cannot be compared and are left out; so is a pair one of whose
 * trajectories has no task message or nothing after it.
 */
final class DpoExport {
  record DpoExample(List<ChatMessage> prompt, List<ChatMessage> chosen, List<ChatMessage> rejected, String taskId,
      String chosenId, String rejectedId, double chosenReward, double rejectedReward) {}

  private final SnapshotReader reader;
  private final ReadProgress progress;
  private final double margin;
  private final int maxPairsPerTask;

  DpoExport(SnapshotReader reader, ReadProgress progress, double margin, int maxPairsPerTask) {
    this.reader = reader;
    this.progress = progress;
    this.margin = margin;
    this.maxPairsPerTask = maxPairsPerTask;
  }

  /** Writes the pairs, counts what it left out into {@code skipped}, and returns the rows that matched. */
  long write(JsonLinesFile file, Map<String, Long> skipped) {
    Map<String, List<DpoPairs.Candidate>> byTask = new TreeMap<>();
    long rows = reader.read("pairing", progress, row -> {
      String taskId = (String) row.getField("task_id");
      Double reward = (Double) row.getField("reward");
      if (taskId == null) {
        skipped.merge("no_task_id", 1L, Long::sum);
      } else if (reward == null) {
        skipped.merge("no_reward", 1L, Long::sum);
      } else {
        byTask.computeIfAbsent(taskId, t -> new ArrayList<>())
            .add(new DpoPairs.Candidate((String) row.getField("trajectory_id"), reward));
      }
    }, "trajectory_id", "task_id", "reward");

    Map<String, List<DpoPairs.Pair>> plans = new TreeMap<>();
    Set<String> paired = new HashSet<>();
    byTask.forEach((taskId, candidates) -> {
      List<DpoPairs.Pair> pairs = DpoPairs.plan(candidates, margin, maxPairsPerTask);
      plans.put(taskId, pairs);
      pairs.forEach(pair -> {
        paired.add(pair.chosen().trajectoryId());
        paired.add(pair.rejected().trajectoryId());
      });
    });
    Map<String, List<ChatMessage>> messages = new HashMap<>();
    if (!paired.isEmpty()) {
      reader.read("export", progress, row -> {
        String id = (String) row.getField("trajectory_id");
        if (paired.contains(id)) {
          messages.put(id, ChatMessages.of(row));
        }
      }, ChatMessages.COLUMNS.toArray(String[]::new));
    }

    plans.forEach((taskId, pairs) -> {
      for (DpoPairs.Pair pair : pairs) {
        List<ChatMessage> chosen = messages.get(pair.chosen().trajectoryId());
        List<ChatMessage> rejected = messages.get(pair.rejected().trajectoryId());
        int chosenStart = ChatMessages.afterTask(chosen);
        int rejectedStart = ChatMessages.afterTask(rejected);
        if (chosenStart < 0 || rejectedStart < 0 || chosenStart == chosen.size() || rejectedStart == rejected.size()) {
          skipped.merge("pairs_without_task_or_reply", 1L, Long::sum);
          continue;
        }
        file.writeLine(new DpoExample(chosen.subList(0, chosenStart), chosen.subList(chosenStart, chosen.size()),
            rejected.subList(rejectedStart, rejected.size()), taskId, pair.chosen().trajectoryId(),
            pair.rejected().trajectoryId(), pair.chosen().reward(), pair.rejected().reward()));
      }
    });
    return rows;
  }
}
