package org.trajlake.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trajlake.cli.TrainingTableFixture.trajectory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer-side commands in-process against a local catalog under a data dir: no server needed. */
class TrainerCommandsTest {
  @TempDir
  Path dataDir;

  @TempDir
  Path outDir;

  long first;
  long second;

  @BeforeEach
  void twoSinkCommits() throws IOException {
    first = TrainingTableFixture.append(dataDir, 0, trajectory("a1", "fix-bug-12", 0.9),
        trajectory("a2", "fix-bug-12", 0.1), trajectory("b1", "b", 0.5));
    second = TrainingTableFixture.append(dataDir, 3, trajectory("a3", "fix-bug-12", 0.0));
  }

  @Test
  void listTagThenExportAndSampleTheTaggedSnapshot() throws IOException {
    // When the snapshots are listed
    CliRun list = CliRun.of("snapshots", "list", "--data-dir", dataDir.toString());

    // Then both commits show with their offsets, the second as current
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).contains("SNAPSHOT").contains(Long.toString(first)).contains("0:[0,3)")
        .containsPattern("\\* " + second + " .* append .* 1  0:\\[3,4\\)");

    // When the first is tagged and exported by its tag as sft
    CliRun tag = CliRun.of("snapshots", "tag", "golden", "--snapshot", Long.toString(first), "--data-dir", dataDir.toString());
    Path sft = outDir.resolve("sft.jsonl");
    CliRun export = CliRun.of("export", "--tag", "golden", "--format", "sft", "--out", sft.toString(),
        "--data-dir", dataDir.toString());

    // Then the export has the tagged snapshot's three trajectories and its manifest names the tag
    assertThat(tag.out()).contains("tagged snapshot " + first).contains("as golden");
    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(export.out()).contains("wrote 3 sft lines to sft.jsonl from snapshot " + first + " (tag golden)");
    assertThat(Files.readAllLines(sft)).hasSize(3).allMatch(line -> line.startsWith("{\"messages\":[{\"role\":\"user\""));
    JsonNode manifest = new ObjectMapper().readTree(outDir.resolve("sft.jsonl.manifest.json").toFile());
    assertThat(manifest.get("tag").asText()).isEqualTo("golden");
    assertThat(manifest.get("records_written").asLong()).isEqualTo(3);

    // When the current snapshot is exported as dpo and sampled by reward
    Path dpo = outDir.resolve("dpo.jsonl");
    CliRun pairs = CliRun.of("export", "--format", "DPO", "--margin", "0.5", "--out", dpo.toString(), "-q",
        "--data-dir", dataDir.toString());
    Path sample = outDir.resolve("sample.jsonl");
    CliRun sampled = CliRun.of("sample", "-n", "2", "--seed", "3", "--strategy", "reward", "--where", "task_id = 'fix-bug-12'",
        "--out", sample.toString(), "--data-dir", dataDir.toString());

    // Then fix-bug-12 gives a1 over a3 (0.9 vs 0.0; a2 is in the bottom half too but paired second),
    // and the sample has two of its rows
    assertThat(pairs.exitCode()).as(pairs.err()).isZero();
    assertThat(Files.readAllLines(dpo)).hasSize(2).first().asString()
        .contains("\"chosen_id\":\"a1\",\"rejected_id\":\"a3\"");
    assertThat(sampled.exitCode()).as(sampled.err()).isZero();
    assertThat(Files.readAllLines(sample)).hasSize(2).allMatch(line -> line.contains("\"task_id\":\"fix-bug-12\""));
    assertThat(sampled.out()).contains("wrote 2 sampled rows");

    // And the JSON listing shows the tag
    assertThat(CliRun.of("snapshots", "list", "--json", "--data-dir", dataDir.toString()).out())
        .contains("\"tags\" : [ \"golden\" ]");
  }

  @Test
  void compactThenExpireKeepsTheTaggedSnapshotAndTheSinksLast() throws IOException {
    // Given a third sink commit and a tag on the first
    long third = TrainingTableFixture.append(dataDir, 4, trajectory("c1", "c", 0.7));
    String dir = dataDir.toString();
    CliRun.of("snapshots", "tag", "golden", "--snapshot", Long.toString(first), "--data-dir", dir);

    // When the table is compacted (dry run first)
    CliRun plan = CliRun.of("compact", "--dry-run", "--data-dir", dir);
    CliRun compact = CliRun.of("compact", "--data-dir", dir);

    // Then its three small files of one day became one
    assertThat(plan.exitCode()).as(plan.err()).isZero();
    assertThat(plan.out()).contains("would rewrite 3 data files").contains("in 1 partitions");
    assertThat(compact.exitCode()).as(compact.err()).isZero();
    assertThat(compact.out()).containsPattern("trajectories: snapshot \\d+: 3 data files .* rewritten into 1 .* 5 rows");

    // When every snapshot that may go is expired
    CliRun expire = CliRun.of("snapshots", "expire", "--older-than", "0s", "--data-dir", dir);

    // Then only the second went: the first is tagged, the third is the sink's last
    assertThat(expire.exitCode()).as(expire.err()).isZero();
    assertThat(expire.out()).contains("expired 1 snapshots").contains("the sink's last snapshot " + third + " is kept");
    String list = CliRun.of("snapshots", "list", "--data-dir", dir).out();
    assertThat(list).contains(Long.toString(first)).contains(Long.toString(third)).contains("replace")
        .doesNotContain(Long.toString(second));
    // and the tagged snapshot still exports its three rows
    Path out = outDir.resolve("golden.jsonl");
    assertThat(CliRun.of("export", "--tag", "golden", "--format", "jsonl", "--out", out.toString(), "-q",
        "--data-dir", dir).exitCode()).isZero();
    assertThat(Files.readAllLines(out)).hasSize(3);
    assertThat(CliRun.of("snapshots", "expire", "--older-than", "soon", "--data-dir", dir).err())
        .contains("'soon' is not an age");
  }

  @Test
  void mistakesAreReportedWithWhatToFix(@TempDir Path emptyDir) {
    String dir = dataDir.toString();
    String out = outDir.resolve("x.jsonl").toString();

    assertThat(CliRun.of("export", "--snapshot", "42", "--format", "jsonl", "--out", out, "--data-dir", dir))
        .satisfies(run -> assertThat(run.exitCode()).isEqualTo(1))
        .satisfies(run -> assertThat(run.err()).contains("trajlake export: no snapshot 42 in"));
    assertThat(CliRun.of("export", "--format", "jsonl", "--where", "rewrd > 1", "--out", out, "--data-dir", dir).err())
        .contains("unknown column 'rewrd'").contains("reward");
    assertThat(CliRun.of("sample", "-n", "1", "--tag", "nope", "--out", out, "--data-dir", dir).err())
        .contains("no tag 'nope'");
    assertThat(CliRun.of("snapshots", "list", "--data-dir", emptyDir.toString()).err())
        .contains("no Iceberg catalog at").contains("run `trajlake run sink` first");
    assertThat(CliRun.of("snapshots", "list", "--table", "outcomes", "--data-dir", dir).err())
        .contains("no table trajlake.outcomes");
    assertThat(CliRun.of("export", "--snapshot", "1", "--tag", "x", "--format", "sft", "--out", out).err())
        .contains("mutually exclusive");
    assertThat(outDir.resolve("x.jsonl")).doesNotExist();
  }
}
