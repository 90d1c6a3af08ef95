package org.trajlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.trajlake.sink.trainer.ReadProgress;

class ProgressBarsTest {
  @Test
  void aReadIsDrawnOnStderrAndCompletedAtTheRowsItRead() {
    PrintStream stderr = System.err;
    ByteArrayOutputStream drawn = new ByteArrayOutputStream();
    System.setErr(new PrintStream(drawn, true, StandardCharsets.UTF_8));
    try {
      // Given a read whose estimate (rows before deletes and filtering) is above what it reads
      try (ReadProgress.Tracker tracker = new ProgressBars().start("reading snapshot 42", 1_000)) {
        for (int i = 0; i < 600; i++) {
          tracker.step();
        }
      }
    } finally {
      System.setErr(stderr);
    }
    // Then the bar names the read and ends at the rows read, not at the estimate
    String bar = drawn.toString(StandardCharsets.UTF_8);
    assertThat(bar).contains("reading snapshot 42").contains("600/600").contains("100%").doesNotContain("/1000");
  }
}
