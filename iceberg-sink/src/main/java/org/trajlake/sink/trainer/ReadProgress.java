package org.trajlake.sink.trainer;

/**
 * Where an export or a sample reports how far its read of a snapshot got. The library only counts;
 * the command line draws a progress bar from it, a trainer's own code may log or ignore it.
 */
@FunctionalInterface
public interface ReadProgress {
  /** Reports nothing. */
  ReadProgress NONE = (phase, estimatedRows) -> Tracker.NONE;

  /**
   * A read begins.
   *
   * @param phase what is being read, for a label
   * @param estimatedRows the rows in the snapshot's data files (deleted and filtered rows included), an upper
   *     bound; -1 when the snapshot does not say
   */
  Tracker start(String phase, long estimatedRows);

  /** One read in progress. */
  interface Tracker extends AutoCloseable {
    Tracker NONE = new Tracker() {
      @Override
      public void step() {}

      @Override
      public void close() {}
    };

    /** One more row read. */
    void step();

    /** The read is over. */
    @Override
    void close();
  }
}
