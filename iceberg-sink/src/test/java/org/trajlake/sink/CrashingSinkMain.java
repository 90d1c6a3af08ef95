package org.trajlake.sink;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.trajlake.runtime.Settings;
import org.trajlake.sink.commit.CommitObserver;

/**
 * The sink in a JVM of its own that halts (like kill -9: no shutdown hooks, no finally blocks, no
 * commit) at the n-th moment of a kind: {@code files} (files written, snapshot not committed) or
 * {@code commit} (snapshot committed, nothing else done yet); {@code none} runs until killed.
 * Args: settings-file crash-kind n.
 */
public final class CrashingSinkMain {
  /** The exit status of a halt at the asked moment (128 + SIGKILL's 9, as a killed process reports). */
  static final int HALT_STATUS = 137;

  private CrashingSinkMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(Path.of(args[0]))) {
      properties.load(reader);
    }
    Map<String, String> settings = new HashMap<>();
    properties.forEach((k, v) -> settings.put(k.toString(), v.toString()));
    String kind = args[1];
    int n = Integer.parseInt(args[2]);
    AtomicInteger seen = new AtomicInteger();
    CommitObserver observer = new CommitObserver() {
      @Override
      public void filesWritten(String table) {
        if (kind.equals("files") && seen.incrementAndGet() == n) {
          System.out.println("halting after writing files of " + table);
          Runtime.getRuntime().halt(HALT_STATUS);
        }
      }

      @Override
      public void committed(String table, long snapshotId) {
        System.out.println("committed " + table + " " + snapshotId);
        if (kind.equals("commit") && seen.incrementAndGet() == n) {
          System.out.println("halting right after committing " + snapshotId);
          Runtime.getRuntime().halt(HALT_STATUS);
        }
      }
    };
    SinkApp.start(SinkConfig.from(Settings.of(settings)), observer);
    Thread.sleep(Long.MAX_VALUE);
  }
}
