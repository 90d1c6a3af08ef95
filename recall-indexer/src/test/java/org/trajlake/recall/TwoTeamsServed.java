package org.trajlake.recall;

import java.util.Map;

/**
 * The memories of two teams ({@link Corpus}, team-a and team-b, team-b's ids prefixed {@code b-}) on
 * fresh indexes, served by two recall services: one open to anyone, one that answers only an API key
 * allowed to read team-a. What the HTTP and MCP tests run against.
 */
public final class TwoTeamsServed implements AutoCloseable {
  private final RecallFixtures.TestIndex index;
  private final RunningRecall open;
  private final RunningRecall guarded;

  /**
   * @param name part of the index prefix, to tell the tests' indexes apart
   * @param keyName the API key's name, as refusals name it
   * @param key the API key itself
   */
  public TwoTeamsServed(String openSearchUrl, String name, String keyName, String key) {
    index = new RecallFixtures.TestIndex(openSearchUrl, name);
    index.write(Corpus.team("team-a", ""));
    index.write(Corpus.team("team-b", "b-"));
    open = RecallApp.start(index.config(Map.of()));
    guarded = RecallApp.start(index.config(Map.of("recall.api.key." + keyName, key,
        "recall.api.key." + keyName + ".workspaces", "team-a")));
  }

  public RecallFixtures.TestIndex index() {
    return index;
  }

  /** The service without API keys. */
  public RunningRecall open() {
    return open;
  }

  /** The service that serves only the API key, and it only team-a. */
  public RunningRecall guarded() {
    return guarded;
  }

  @Override
  public void close() throws Exception {
    guarded.close();
    open.close();
    index.close();
  }
}
