package org.trajlake.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.trajlake.sink.trainer.ReadProgress;

/**
 * Reads drawn as progress bars on stderr, so stdout stays the command's result. The total is the
 * snapshot's row count before deletes and filtering, an upper bound: a bar that ends short of it is
 * completed when the read ends.
 */
final class ProgressBars implements ReadProgress {
  @Override
  public Tracker start(String phase, long estimatedRows) {
    ProgressBar bar = new ProgressBarBuilder()
        .setTaskName(phase)
        .setInitialMax(estimatedRows)
        .setUnit(" rows", 1)
        .showSpeed()
        .setUpdateIntervalMillis(250)
        .setConsumer(new ConsoleProgressBarConsumer(System.err))
        .build();
    return new Tracker() {
      @Override
      public void step() {
        bar.step();
      }

      @Override
      public void close() {
        bar.maxHint(bar.getCurrent());
        bar.close();
      }
    };
  }
}
