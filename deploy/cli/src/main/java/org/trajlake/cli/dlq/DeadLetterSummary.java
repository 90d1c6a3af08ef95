package org.trajlake.cli.dlq;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.trajlake.runtime.DeadLetter;

/**
 * What the dead-letter topic holds, counted by the record that was refused. A stage writes a dead
 * letter before it commits what it read, so one that restarts in between writes it again: the source
 * coordinates (stage, topic, partition, offset) identify the refused record, and repeats are counted
 * apart instead of inflating the reasons.
 */
public final class DeadLetterSummary {
  private static final Comparator<Entry> BY_TIME = Comparator.comparing(e -> e.letter().time());

  private final int latestKept;
  // Every refused record seen: their count is the records, whatever was read twice.
  private final Set<Source> seen = new HashSet<>();
  private final Map<Kind, Reason> reasons = new LinkedHashMap<>();
  // The latest distinct dead letters by their time, oldest at the head: partitions are read in turn.
  private final PriorityQueue<Entry> latest = new PriorityQueue<>(BY_TIME);
  private long deadLetters;
  private long repeats;
  private long withoutHeaders;

  /** @param latestKept how many of the latest distinct dead letters {@link #latest()} returns */
  public DeadLetterSummary(int latestKept) {
    this.latestKept = latestKept;
  }

  /** One record of the topic, in topic order within its partition. */
  public void add(Entry entry) {
    deadLetters++;
    if (entry.letter() == null) {
      withoutHeaders++;
      return;
    }
    DeadLetter letter = entry.letter();
    if (!seen.add(new Source(letter.stage(), letter.sourceTopic(), letter.sourcePartition(), letter.sourceOffset()))) {
      repeats++;
      return;
    }
    reasons.computeIfAbsent(new Kind(letter.stage(), letter.reason()), Reason::new).add(letter);
    latest.add(entry);
    if (latest.size() > latestKept) {
      latest.poll();
    }
  }

  /** Dead letters read, repeats included. */
  public long deadLetters() {
    return deadLetters;
  }

  /** Refused records: dead letters less the repeats. */
  public long records() {
    return seen.size();
  }

  /** Dead letters written again for a record already in the topic, by a stage that restarted. */
  public long repeats() {
    return repeats;
  }

  /** Records of the topic without the dead-letter headers: written there by something else. */
  public long withoutHeaders() {
    return withoutHeaders;
  }

  /** Each stage and reason with its records, most first. */
  public List<Reason> reasons() {
    return reasons.values().stream()
        .sorted(Comparator.comparingLong(Reason::records).reversed().thenComparing(r -> r.kind().stage())
            .thenComparing(r -> r.kind().reason()))
        .toList();
  }

  /** The latest distinct dead letters kept, oldest first. */
  public List<Entry> latest() {
    List<Entry> entries = new ArrayList<>(latest);
    entries.sort(BY_TIME);
    return entries;
  }

  /**
   * A dead letter as read.
   *
   * @param letter its dead-letter headers, null when it has none
   * @param key the record key as text, empty when there is none
   * @param valueBytes the length of the refused value, -1 for none
   */
  public record Entry(DeadLetter letter, String key, int valueBytes) {}

  /** A stage's reason. */
  public record Kind(String stage, String reason) {}

  /** The records of one stage and reason, and the last one's detail. */
  public static final class Reason {
    private final Kind kind;
    private long records;
    private Instant first = Instant.MAX;
    private Instant last = Instant.MIN;
    private String lastDetail = "";

    Reason(Kind kind) {
      this.kind = kind;
    }

    void add(DeadLetter letter) {
      records++;
      if (letter.time().isBefore(first)) {
        first = letter.time();
      }
      if (!letter.time().isBefore(last)) {
        last = letter.time();
        lastDetail = letter.detail();
      }
    }

    public Kind kind() {
      return kind;
    }

    public long records() {
      return records;
    }

    public Instant first() {
      return first;
    }

    public Instant last() {
      return last;
    }

    public String lastDetail() {
      return lastDetail;
    }
  }

  private record Source(String stage, String topic, int partition, long offset) {}
}
