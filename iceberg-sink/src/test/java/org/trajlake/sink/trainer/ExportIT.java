package org.trajlake.sink.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.trajlake.sink.trainer.Trajectories.action;
import static org.trajlake.sink.trainer.Trajectories.call;
import static org.trajlake.sink.trainer.Trajectories.end;
import static org.trajlake.sink.trainer.Trajectories.observation;
import static org.trajlake.sink.trainer.Trajectories.result;
import static org.trajlake.sink.trainer.Trajectories.thought;
import static org.trajlake.sink.trainer.Trajectories.trajectory;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports of one snapshot after newer commits (an upsert and an append) write that snapshot's rows in
 * each format, and a manifest that describes the file exactly.
 */
class ExportIT {
  @TempDir
  Path dataDir;

  @TempDir
  Path outDir;

  TrainingLake lake;
  long exported;

  @BeforeEach
  void aSnapshotThenNewerCommits() {
    lake = TrainingLake.create(dataDir);
    exported = lake.append(
        trajectory("a1").task("fix-bug-12").reward(0.9).attribute("system_prompt", "You fix bugs.")
            .steps(observation("Fix bug 12"), thought("Look first."), call("c1", "read_file", "{\"path\":\"p.py\"}"),
                result("c1", "def f(): pass"), action("Patched."), end())
            .build(),
        trajectory("a2").task("fix-bug-12").reward(0.2).build(),
        trajectory("a3").task("fix-bug-12").reward(0.85).build(),
        trajectory("b1").task("b").reward(1.0).build(),
        trajectory("b2").task("b").reward(0.95).build(),
        trajectory("n1").reward(0.5).build(),
        trajectory("r1").task("c").reward(null).build());
    lake.upsert(trajectory("a2").task("fix-bug-12").reward(0.95).version(2).build());
    lake.append(trajectory("a4").task("fix-bug-12").reward(0.0).build());
  }

  @AfterEach
  void close() throws IOException {
    lake.close();
  }

  @Test
  void jsonlWritesEveryRowOfTheSnapshotWithNestedStepsAndIsoTimes() throws IOException {
    // When the first snapshot is exported as jsonl
    Path out = outDir.resolve("rows.jsonl");
    ExportManifest manifest = export(ExportFormat.JSONL, null, out);

    // Then its seven rows come out, a2 at its first version, with steps as objects and ISO times
    List<JsonNode> lines = lines(out);
    assertThat(lines).extracting(l -> l.get("trajectory_id").asText())
        .containsExactlyInAnyOrder("a1", "a2", "a3", "b1", "b2", "n1", "r1");
    JsonNode a2 = lines.stream().filter(l -> l.get("trajectory_id").asText().equals("a2")).findFirst().orElseThrow();
    assertThat(a2.get("version").asLong()).isEqualTo(1);
    assertThat(a2.get("reward").asDouble()).isEqualTo(0.2);
    assertThat(a2.get("label_status").asText()).isEqualTo("LABELED");
    assertThat(a2.get("ended_at").asText()).isEqualTo("2025-06-01T10:00:00Z");
    assertThat(a2.get("steps")).hasSize(3);
    assertThat(a2.get("steps").get(0).get("kind").asText()).isEqualTo("OBSERVATION");
    assertThat(a2.get("steps").get(0).get("ts").asText()).isEqualTo("2025-06-01T09:59:57Z");
    assertThat(a2.get("outcomes").isArray()).isTrue();
    assertThat(a2.has("embedding")).isTrue();
    assertManifest(manifest, out, "jsonl", 7, 7);
  }

  @Test
  void sftWritesOneConversationPerTrajectory() throws IOException {
    // When the first snapshot is exported as sft
    Path out = outDir.resolve("sft.jsonl");
    ExportManifest manifest = export(ExportFormat.SFT, null, out);

    // Then each trajectory is one line, a1 as system, task, assistant with its call, tool result, action
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(7);
    assertThat(lines).contains("{\"messages\":["
        + "{\"role\":\"system\",\"content\":\"You fix bugs.\"},"
        + "{\"role\":\"user\",\"content\":\"Fix bug 12\"},"
        + "{\"role\":\"assistant\",\"content\":\"Look first.\",\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
        + "\"function\":{\"name\":\"read_file\",\"arguments\":\"{\\\"path\\\":\\\"p.py\\\"}\"}}]},"
        + "{\"role\":\"tool\",\"content\":\"def f(): pass\",\"tool_call_id\":\"c1\"},"
        + "{\"role\":\"assistant\",\"content\":\"Patched.\"}],"
        + "\"trajectory_id\":\"a1\",\"task_id\":\"fix-bug-12\",\"reward\":0.9}");
    assertThat(lines).contains("{\"messages\":[{\"role\":\"user\",\"content\":\"Solve n1\"},"
        + "{\"role\":\"assistant\",\"content\":\"answer from n1\"}],\"trajectory_id\":\"n1\",\"task_id\":null,\"reward\":0.5}");
    assertManifest(manifest, out, "sft", 7, 7);
  }

  @Test
  void dpoPairsTrajectoriesOfATaskWhoseRewardsDifferByTheMargin() throws IOException {
    // When the first snapshot is exported as dpo with the default margin (0.1)
    Path out = outDir.resolve("dpo.jsonl");
    ExportManifest manifest = export(ExportFormat.DPO, null, out);

    // Then fix-bug-12 gives a1 (0.9) over a2 (0.2, its reward then); a1 over a3 is 0.05 apart, so is b1
    // over b2; n1 has no task and r1 no reward
    assertThat(Files.readAllLines(out)).containsExactly("{"
        + "\"prompt\":[{\"role\":\"system\",\"content\":\"You fix bugs.\"},{\"role\":\"user\",\"content\":\"Fix bug 12\"}],"
        + "\"chosen\":[{\"role\":\"assistant\",\"content\":\"Look first.\",\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
        + "\"function\":{\"name\":\"read_file\",\"arguments\":\"{\\\"path\\\":\\\"p.py\\\"}\"}}]},"
        + "{\"role\":\"tool\",\"content\":\"def f(): pass\",\"tool_call_id\":\"c1\"},"
        + "{\"role\":\"assistant\",\"content\":\"Patched.\"}],"
        + "\"rejected\":[{\"role\":\"assistant\",\"content\":\"answer from a2\"}],"
        + "\"task_id\":\"fix-bug-12\",\"chosen_id\":\"a1\",\"rejected_id\":\"a2\",\"chosen_reward\":0.9,\"rejected_reward\":0.2}");
    assertManifest(manifest, out, "dpo", 7, 1);
    assertThat(manifest.pairs()).isEqualTo(1);
    assertThat(manifest.skipped()).isEqualTo(Map.of("no_task_id", 1L, "no_reward", 1L));
    assertThat(manifest.options()).isEqualTo(Map.of("margin", 0.1, "max_pairs_per_task", 8));
  }

  @Test
  void dpoHonoursAFilterOnColumnsItDoesNotOtherwiseRead() throws IOException {
    // When a2 is filtered out through a column the pairing read does not select
    Path out = outDir.resolve("dpo.jsonl");
    ExportManifest manifest = export(ExportFormat.DPO, "agent_id = 'agent-1' and reward > 0.3", out);

    // Then only a1 and a3 are left for fix-bug-12, too close to pair
    assertThat(Files.readAllLines(out)).isEmpty();
    assertThat(manifest.rowsRead()).isEqualTo(5);
    assertThat(manifest.filter()).isEqualTo("agent_id = 'agent-1' and reward > 0.3");
  }

  @Test
  void aTaggedSnapshotIsRecordedWithItsTag() throws IOException {
    // Given the exported snapshot is tagged
    Table table = lake.table();
    new Snapshots(table).tag("golden", exported, false);

    // When it is exported by its tag
    Path out = outDir.resolve("tagged.jsonl");
    ExportManifest manifest = new Exporter(table, ReadProgress.NONE)
        .export(new Snapshots(table).resolve(null, "golden"), Exporter.Options.of(ExportFormat.JSONL), out);

    // Then the manifest on disk names the tag and the snapshot
    JsonNode written = JsonLinesFile.MAPPER.readTree(ExportManifest.pathFor(out).toFile());
    assertThat(written.get("tag").asText()).isEqualTo("golden");
    assertThat(written.get("snapshot_id").asLong()).isEqualTo(exported);
    assertThat(manifest.recordsWritten()).isEqualTo(7);
  }

  @Test
  void aBadFilterWritesNothing() {
    Path out = outDir.resolve("never.jsonl");

    assertThatThrownBy(() -> export(ExportFormat.SFT, "rewrd > 1", out)).hasMessageContaining("unknown column 'rewrd'");

    assertThat(out).doesNotExist();
    assertThat(ExportManifest.pathFor(out)).doesNotExist();
  }

  private ExportManifest export(ExportFormat format, String where, Path out) {
    Exporter.Options options = new Exporter.Options(format, where, Exporter.DEFAULT_MARGIN, Exporter.DEFAULT_MAX_PAIRS_PER_TASK);
    return new Exporter(lake.table(), ReadProgress.NONE).export(new TableVersion(exported, null), options, out);
  }

  private void assertManifest(ExportManifest manifest, Path out, String format, long rows, long written)
      throws IOException {
    JsonNode onDisk = JsonLinesFile.MAPPER.readTree(ExportManifest.pathFor(out).toFile());
    assertThat(onDisk.get("sha256").asText()).isEqualTo(sha256(out)).isEqualTo(manifest.sha256());
    assertThat(onDisk.get("snapshot_id").asLong()).isEqualTo(exported);
    assertThat(onDisk.get("table").asText()).endsWith("trajlake.trajectories");
    assertThat(onDisk.get("format").asText()).isEqualTo(format);
    assertThat(onDisk.get("output").asText()).isEqualTo(out.getFileName().toString());
    assertThat(onDisk.get("rows_read").asLong()).isEqualTo(rows);
    assertThat(onDisk.get("records_written").asLong()).isEqualTo(written);
    assertThat(onDisk.get("created_at").asText()).isNotBlank();
    assertThat(onDisk.has("tag")).isFalse();
  }

  private static List<JsonNode> lines(Path out) throws IOException {
    return Files.readAllLines(out).stream().map(line -> {
      try {
        return JsonLinesFile.MAPPER.readTree(line);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
