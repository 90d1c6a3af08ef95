package org.trajlake.recall.index;

/**
 * The two aliases recall reads and the indexer writes, and the indexes behind them. Clients always
 * use the aliases, so an index can be rebuilt under a new name and swapped in.
 */
public record IndexNames(String prefix) {
  public String trajectories() {
    return prefix + "trajectories";
  }

  public String steps() {
    return prefix + "steps";
  }

  /** The first concrete index behind {@code alias}. */
  static String firstIndexOf(String alias) {
    return alias + "-000001";
  }

  static String templateOf(String alias) {
    return alias + "-template";
  }
}
