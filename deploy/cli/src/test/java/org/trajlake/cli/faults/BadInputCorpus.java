package org.trajlake.cli.faults;

import static org.trajlake.cli.faults.BadCase.INDEXER;
import static org.trajlake.cli.faults.BadCase.INGEST;
import static org.trajlake.cli.faults.BadCase.JOINER;
import static org.trajlake.cli.faults.BadCase.SINK;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.data.Record;
import org.trajlake.schema.Outcome;
import org.trajlake.schema.StepKind;
import org.trajlake.schema.ToolCall;
import org.trajlake.schema.ToolResult;
import org.trajlake.schema.Topics;
import org.trajlake.schema.TrajectoryEvent;
import org.trajlake.schema.TrajectoryStatus;

/**
 * The bad inputs, one {@link BadCase} each, with what the services are documented to do with them
 * (README, "Dead-letter reasons"). The limits they probe are the ones {@link #SETTINGS} sets, so each
 * is crossed with a small record. Every case's trajectory id starts with {@code bad-<n>}.
 */
final class BadInputCorpus {
  /**
   * Small limits, a short orphan window and the dlq late policy, so each rule is reached quickly. The
   * window is still long enough for the good load: its outcomes are sent right after each END and wait
   * for the trajectory to come through ingest-streams, which lagged more than 3 s behind during the
   * corpus on a slow machine and orphaned three good trajectories' outcomes at a 3 s window.
   */
  static final Map<String, String> SETTINGS = Map.of(
      "ingest.max.content.bytes", "4096",
      "ingest.max.steps", "5",
      "ingest.max.future.skew.ms", "60000",
      "ingest.late.policy", "dlq",
      "joiner.outcome.window.ms", "20000");
  static final String WORKSPACE = "corpus-bad";
  /** Valid text a careless pipeline might mangle: RTL, zero-width, emoji, combining marks, NUL. */
  static final String UNICODE = "مرحبا بالعالم | a\u200Bb\u200Dc\uFEFF | 🚀👩‍💻 | e\u0301 | nul:\u0000: | עברית";

  private final Topics topics;
  private final long now = System.currentTimeMillis();
  private final List<BadCase> cases = new ArrayList<>();

  BadInputCorpus(Topics topics) {
    this.topics = topics;
  }

  List<BadCase> cases() {
    wireFormat();
    keys();
    fields();
    sequences();
    resentCorrected();
    unicode();
    outcomes();
    downstreamTopics();
    return cases;
  }

  /** Bytes that are not a Confluent-framed TrajectoryEvent. */
  private void wireFormat() {
    String events = topics.events().name();
    byte[] valid = encode(event("bad-01", 0, StepKind.OBSERVATION).build());
    add("garbage-bytes", "bad-01").send(events, "bad-01", utf8("this is not avro at all")).dlq(INGEST, "no-magic-byte");
    byte[] magicOne = valid.clone();
    magicOne[0] = 1;
    add("wrong-magic-byte", "bad-02").send(events, "bad-02", magicOne).dlq(INGEST, "no-magic-byte");
    add("empty-value", "bad-03").send(events, "bad-03", new byte[0]).dlq(INGEST, "no-magic-byte");
    add("header-without-body", "bad-04").send(events, "bad-04", Arrays.copyOf(valid, 5)).dlq(INGEST, "decode-failed");
    byte[] unknownId = valid.clone();
    ByteBuffer.wrap(unknownId, 1, 4).putInt(Integer.MAX_VALUE - 7);
    add("unknown-schema-id", "bad-05").send(events, "bad-05", unknownId).dlq(INGEST, "unknown-schema-id");
    add("truncated-avro", "bad-06").send(events, "bad-06", Arrays.copyOf(valid, valid.length - 10))
        .dlq(INGEST, "decode-failed");
    byte[] trailing = Arrays.copyOf(valid, valid.length + 3);
    add("bytes-after-the-record", "bad-07").send(events, "bad-07", trailing).dlq(INGEST, "decode-failed");
    // A producer writing to the wrong topic: a valid Outcome, under its own registered id, on the events topic.
    add("outcome-on-the-events-topic", "bad-08").send(events, "bad-08", encode(outcome("bad-08", "tests_passed", 1.0)))
        .dlq(INGEST, "decode-failed");
    // The event schema's id, then a string length of -1: wrong types for the writer schema.
    byte[] negativeLength = Arrays.copyOf(valid, 6);
    negativeLength[5] = 1; // zigzag -1
    add("negative-string-length", "bad-09").send(events, "bad-09", negativeLength).dlq(INGEST, "decode-failed");
  }

  private void keys() {
    String events = topics.events().name();
    add("no-key", null).send(events, (byte[]) null, encode(event("bad-10", 0, StepKind.OBSERVATION).build()))
        .dlq(INGEST, "missing-key");
    add("key-not-utf8", null).send(events, new byte[] {(byte) 0xff, (byte) 0xfe, 0x41},
        encode(event("bad-11", 0, StepKind.OBSERVATION).build())).dlq(INGEST, "invalid-key");
    add("key-is-another-trajectory", "bad-12-other").send(events, "bad-12-other",
        encode(event("bad-12", 0, StepKind.OBSERVATION).build())).dlq(INGEST, "key-mismatch");
    add("tombstone-event", "bad-13").send(events, "bad-13", null).dlq(INGEST, "missing-value");
  }

  private void fields() {
    String events = topics.events().name();
    field("empty-event-id", "bad-14", event("bad-14", 0, StepKind.OBSERVATION).setEventId(""), "missing-event-id");
    add("empty-trajectory-id", "").send(events, "", encode(event("", 0, StepKind.OBSERVATION).setEventId("bad-15-e").build()))
        .dlq(INGEST, "missing-trajectory-id");
    field("blank-workspace", "bad-16", event("bad-16", 0, StepKind.OBSERVATION).setWorkspace("   "), "missing-workspace");
    field("empty-agent-id", "bad-17", event("bad-17", 0, StepKind.OBSERVATION).setAgentId(""), "missing-agent-id");
    String longId = "bad-18-" + "x".repeat(300);
    field("trajectory-id-over-256-chars", longId, event(longId, 0, StepKind.OBSERVATION), "invalid-id");
    String nulId = "bad-19-\u0000-nul";
    field("nul-in-trajectory-id", nulId, event(nulId, 0, StepKind.OBSERVATION), "invalid-id");
    field("control-character-in-workspace", "bad-20",
        event("bad-20", 0, StepKind.OBSERVATION).setWorkspace("team\u0007bell"), "invalid-id");
    field("unknown-kind", "bad-21", event("bad-21", 0, StepKind.UNKNOWN), "unknown-kind");
    field("negative-seq", "bad-22", event("bad-22", -1, StepKind.OBSERVATION), "negative-seq");
    field("timestamp-before-1970", "bad-23",
        event("bad-23", 0, StepKind.OBSERVATION).setTs(Instant.ofEpochMilli(-86_400_000L)), "invalid-timestamp");
    field("timestamp-an-hour-ahead", "bad-24",
        event("bad-24", 0, StepKind.OBSERVATION).setTs(Instant.ofEpochMilli(now + 3_600_000L)), "future-timestamp");
    field("timestamp-in-year-9999", "bad-60",
        event("bad-60", 0, StepKind.OBSERVATION).setTs(Instant.parse("9999-12-31T23:59:59.999Z")), "future-timestamp");
    field("timestamp-at-the-largest-epoch-millisecond", "bad-61",
        event("bad-61", 0, StepKind.OBSERVATION).setTs(Instant.ofEpochMilli(Long.MAX_VALUE)), "future-timestamp");
    field("content-over-max-bytes", "bad-25",
        event("bad-25", 0, StepKind.OBSERVATION).setContent("x".repeat(5000)), "content-too-large");
    // Near the broker's 1 MB record limit: refused whole, and its dead letter (the same bytes) still fits.
    field("content-of-900-kb", "bad-62",
        event("bad-62", 0, StepKind.OBSERVATION).setContent("z".repeat(900_000)), "content-too-large");
    // 2,200 chars but 4,400 UTF-8 bytes: the limit counts bytes, not characters.
    field("emoji-content-over-max-bytes", "bad-26",
        event("bad-26", 0, StepKind.OBSERVATION).setContent("😀".repeat(1100)), "content-too-large");
    field("tool-output-over-max-bytes", "bad-27", event("bad-27", 0, StepKind.TOOL_RESULT)
        .setToolResult(new ToolResult("call-1", "y".repeat(5000), false)), "content-too-large");
    field("tool-call-step-without-call", "bad-28", event("bad-28", 0, StepKind.TOOL_CALL), "missing-tool-call");
    field("tool-call-without-name", "bad-29", event("bad-29", 0, StepKind.TOOL_CALL)
        .setToolCall(new ToolCall("", "call-1", "{}")), "invalid-tool-call");
    field("tool-result-step-without-result", "bad-30", event("bad-30", 0, StepKind.TOOL_RESULT), "missing-tool-result");
    field("tool-result-without-call-id", "bad-31", event("bad-31", 0, StepKind.TOOL_RESULT)
        .setToolResult(new ToolResult(" ", "ok", false)), "invalid-tool-result");
    field("end-without-status", "bad-32", event("bad-32", 0, StepKind.END).setStatus(null), "end-without-status");
    field("empty-embedding", "bad-33", event("bad-33", 0, StepKind.OBSERVATION).setEmbedding(List.of()),
        "invalid-embedding");
    field("nan-in-embedding", "bad-34", event("bad-34", 0, StepKind.OBSERVATION).setEmbedding(List.of(0.5f, Float.NaN)),
        "invalid-embedding");
  }

  /** Several events of one trajectory: the bad ones are refused, the trajectory still comes out. */
  private void sequences() {
    String events = topics.events().name();
    add("repeated-seq", "bad-35")
        .send(events, "bad-35", encode(event("bad-35", 0, StepKind.OBSERVATION).build()))
        .send(events, "bad-35", encode(event("bad-35", 0, StepKind.OBSERVATION).setEventId("bad-35-other").build()))
        .send(events, "bad-35", encode(event("bad-35", 1, StepKind.END).build()))
        .dlq(INGEST, "repeated-seq").accepted(WORKSPACE, "bad-35", 2);
    // The same event twice (a producer retry): dropped and counted, not dead-lettered.
    byte[] first = encode(event("bad-36", 0, StepKind.OBSERVATION).build());
    add("duplicate-event-id", "bad-36").send(events, "bad-36", first).send(events, "bad-36", first)
        .send(events, "bad-36", encode(event("bad-36", 1, StepKind.END).build())).accepted(WORKSPACE, "bad-36", 2);
    BadCase tooMany = add("more-steps-than-max-steps", "bad-37");
    for (int seq = 0; seq < 7; seq++) {
      tooMany.send(events, "bad-37", encode(event("bad-37", seq, StepKind.OBSERVATION).build()));
    }
    // seq 5 and 6 are refused; the END is still accepted and, after the grace for the missing seqs, closes it.
    tooMany.send(events, "bad-37", encode(event("bad-37", 7, StepKind.END).build()))
        .dlq(INGEST, "too-many-steps").dlq(INGEST, "too-many-steps").accepted(WORKSPACE, "bad-37", 6);
    add("event-after-end", "bad-38")
        .send(events, "bad-38", encode(event("bad-38", 0, StepKind.OBSERVATION).build()))
        .send(events, "bad-38", encode(event("bad-38", 1, StepKind.END).build()))
        .send(events, "bad-38", encode(event("bad-38", 2, StepKind.MESSAGE).build()))
        .dlq(INGEST, "late").accepted(WORKSPACE, "bad-38", 2);
    add("event-naming-another-workspace", "bad-39")
        .send(events, "bad-39", encode(event("bad-39", 0, StepKind.OBSERVATION).build()))
        .send(events, "bad-39", encode(event("bad-39", 1, StepKind.OBSERVATION).setWorkspace("corpus-other").build()))
        // The END has an event_id of its own: a refused event's id is still remembered by the dedupe.
        .send(events, "bad-39", encode(event("bad-39", 1, StepKind.END).setEventId("bad-39#end").build()))
        .dlq(INGEST, "workspace-mismatch").accepted(WORKSPACE, "bad-39", 2);
  }

  /** An event refused by its trajectory, then sent again corrected under the same event_id: judged again. */
  private void resentCorrected() {
    String events = topics.events().name();
    add("event-resent-corrected-after-refusal", "bad-59")
        .send(events, "bad-59", encode(event("bad-59", 0, StepKind.OBSERVATION).build()))
        .send(events, "bad-59", encode(event("bad-59", 1, StepKind.OBSERVATION).setWorkspace("corpus-other").build()))
        .send(events, "bad-59", encode(event("bad-59", 1, StepKind.OBSERVATION).build()))
        .send(events, "bad-59", encode(event("bad-59", 2, StepKind.END).build()))
        .dlq(INGEST, "workspace-mismatch").accepted(WORKSPACE, "bad-59", 3);
  }

  /** Valid but unusual text is accepted as it is; bytes that are not UTF-8 are replaced, not refused. */
  private void unicode() {
    String events = topics.events().name();
    trajectory(add("unicode-content", "bad-40"), "bad-40", WORKSPACE, UNICODE)
        .accepted(WORKSPACE, "bad-40", 2, "content kept exactly", row -> UNICODE.equals(firstContent(row)));
    String unicodeId = "bad-41-🚀-עברית-\u200B-e\u0301";
    trajectory(add("unicode-trajectory-id", unicodeId), unicodeId, WORKSPACE, "plain")
        .accepted(WORKSPACE, unicodeId, 2, "id kept exactly", row -> unicodeId.equals(row.getField("trajectory_id")));
    // A lone surrogate cannot be written by Java's encoder, so its bytes (ED A0 80) replace a placeholder.
    byte[] surrogate = encode(event("bad-42", 0, StepKind.OBSERVATION).setContent("lone:@@@:end").build());
    replace(surrogate, utf8("@@@"), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
    add("lone-surrogate-bytes", "bad-42").send(events, "bad-42", surrogate)
        .send(events, "bad-42", encode(event("bad-42", 1, StepKind.END).build()))
        .accepted(WORKSPACE, "bad-42", 2, "replaced by U+FFFD, no surrogate left", row -> {
          String content = firstContent(row);
          return content.startsWith("lone:") && content.endsWith(":end") && content.contains("\uFFFD")
              && content.chars().noneMatch(c -> Character.isSurrogate((char) c));
        });
    // A workspace recall could never be asked for (recall takes 1 to 128 of A-Z a-z 0-9 . _ : -).
    field("workspace-with-space-and-slash", "bad-43",
        event("bad-43", 0, StepKind.OBSERVATION).setWorkspace("team a/b"), "invalid-workspace");
  }

  private void outcomes() {
    String outcomes = topics.outcomes().name();
    add("outcome-of-no-trajectory", "bad-44").send(outcomes, "bad-44", encode(outcome("bad-44", "tests_passed", 1.0)))
        .orphaned(1);
    add("outcome-value-nan", "bad-45").send(outcomes, "bad-45", encode(outcome("bad-45", "tests_passed", Double.NaN)))
        .dlq(JOINER, "non-finite-value");
    add("outcome-value-infinite", "bad-46").send(outcomes, "bad-46",
        encode(outcome("bad-46", "pr_merged", Double.POSITIVE_INFINITY))).dlq(JOINER, "non-finite-value");
    add("outcome-key-is-another-trajectory", "bad-47-other").send(outcomes, "bad-47-other",
        encode(outcome("bad-47", "tests_passed", 1.0))).dlq(JOINER, "key-mismatch");
    Outcome noId = outcome("bad-48", "tests_passed", 1.0);
    noId.setOutcomeId(" ");
    add("outcome-blank-outcome-id", "bad-48").send(outcomes, "bad-48", encode(noId)).dlq(JOINER, "blank-outcome-id");
    add("outcome-blank-kind", "bad-49").send(outcomes, "bad-49", encode(outcome("bad-49", "", 1.0)))
        .dlq(JOINER, "blank-kind");
    // The sink reads the outcomes topic too (the outcomes table), so both refuse what cannot be decoded.
    add("outcome-tombstone", "bad-50").send(outcomes, "bad-50", null).dlq(JOINER, "null-value").dlq(SINK, "tombstone");
    add("outcome-garbage-bytes", "bad-51").send(outcomes, "bad-51", utf8("{\"value\": 1.0}"))
        .dlq(JOINER, "no-magic-byte").dlq(SINK, "no-magic-byte");
    Outcome otherWorkspace = outcome("bad-52", "tests_passed", 1.0);
    otherWorkspace.setWorkspace("corpus-other");
    trajectory(add("outcome-naming-another-workspace", "bad-52"), "bad-52", WORKSPACE, "plain")
        .send(outcomes, "bad-52", encode(otherWorkspace)).dlq(JOINER, "workspace-mismatch")
        .accepted(WORKSPACE, "bad-52", 2, "no outcome joined", row -> outcomeCount(row) == 0);
    byte[] once = encode(outcome("bad-53", "tests_passed", 1.0));
    trajectory(add("duplicate-outcome-id", "bad-53"), "bad-53", WORKSPACE, "plain")
        .send(outcomes, "bad-53", once).send(outcomes, "bad-53", once)
        .accepted(WORKSPACE, "bad-53", 2, "the outcome joined once", row -> outcomeCount(row) == 1);
    Outcome blankTrajectory = outcome("", "tests_passed", 1.0);
    blankTrajectory.setOutcomeId("bad-54-outcome");
    add("outcome-empty-trajectory-id", "").send(outcomes, "", encode(blankTrajectory)).dlq(JOINER, "blank-trajectory-id");
  }

  /** Records a misbehaving producer writes straight onto the topics between the services. */
  private void downstreamTopics() {
    String trajectories = topics.trajectories().name();
    String rewarded = topics.rewardedTrajectories().name();
    add("garbage-on-the-trajectories-topic", "bad-55").send(trajectories, "bad-55", utf8("garbage"))
        .dlq(JOINER, "no-magic-byte").dlq(INDEXER, "no-magic-byte");
    add("garbage-on-the-rewarded-topic", "bad-56").send(rewarded, "bad-56", utf8("garbage"))
        .dlq(INDEXER, "no-magic-byte").dlq(SINK, "no-magic-byte");
    byte[] unknownId = new byte[] {0, 0x7f, (byte) 0xff, (byte) 0xff, 0x11, 2, 0x41};
    add("unknown-schema-id-on-the-rewarded-topic", "bad-57").send(rewarded, "bad-57", unknownId)
        .dlq(INDEXER, "unknown-schema-id").dlq(SINK, "unknown-schema-id");
    // A tombstone on the compacted trajectories topic: the indexer skips it (counted), the joiner refuses it.
    add("tombstone-on-the-trajectories-topic", "bad-58").send(trajectories, "bad-58", null).dlq(JOINER, "null-value");
  }

  private BadCase add(String name, String id) {
    BadCase bad = new BadCase(name).id(id);
    cases.add(bad);
    return bad;
  }

  private void field(String name, String id, TrajectoryEvent.Builder event, String reason) {
    add(name, id).send(topics.events().name(), id, encode(event.build())).dlq(INGEST, reason);
  }

  /** A good two-step trajectory (an observation with {@code content}, then END) for {@code bad}. */
  private BadCase trajectory(BadCase bad, String id, String workspace, String content) {
    return bad.send(topics.events().name(), id, encode(event(id, 0, StepKind.OBSERVATION).setWorkspace(workspace)
            .setContent(content).build()))
        .send(topics.events().name(), id, encode(event(id, 1, StepKind.END).setWorkspace(workspace).build()));
  }

  private TrajectoryEvent.Builder event(String trajectoryId, long seq, StepKind kind) {
    return TrajectoryEvent.newBuilder().setEventId(trajectoryId + "#" + seq).setTrajectoryId(trajectoryId)
        .setWorkspace(WORKSPACE).setAgentId("corpus-agent").setTaskId("corpus").setSeq(seq)
        .setTs(Instant.ofEpochMilli(now + seq)).setKind(kind).setContent("step " + seq)
        .setStatus(kind == StepKind.END ? TrajectoryStatus.SUCCESS : null).setTags(List.of()).setAttributes(Map.of());
  }

  private Outcome outcome(String trajectoryId, String kind, double value) {
    return Outcome.newBuilder().setOutcomeId(trajectoryId + "-" + kind).setTrajectoryId(trajectoryId)
        .setWorkspace(WORKSPACE).setKind(kind).setValue(value).setTs(Instant.ofEpochMilli(now)).setSource("corpus")
        .setAttributes(Map.of()).build();
  }

  private byte[] encode(TrajectoryEvent event) {
    return topics.events().valueSerde().serializer().serialize(topics.events().name(), event);
  }

  private byte[] encode(Outcome outcome) {
    return topics.outcomes().valueSerde().serializer().serialize(topics.outcomes().name(), outcome);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void replace(byte[] bytes, byte[] placeholder, byte[] with) {
    for (int i = 0; i + placeholder.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + placeholder.length, placeholder, 0, placeholder.length)) {
        System.arraycopy(with, 0, bytes, i, with.length);
        return;
      }
    }
    throw new IllegalStateException("placeholder not found");
  }

  @SuppressWarnings("unchecked")
  private static String firstContent(Record row) {
    List<Record> steps = (List<Record>) row.getField("steps");
    return String.valueOf(steps.get(0).getField("content"));
  }

  private static int outcomeCount(Record row) {
    Object outcomes = row.getField("outcomes");
    return outcomes == null ? 0 : ((List<?>) outcomes).size();
  }
}
