package org.trajlake.runtime;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class SendFailuresTest {
  @Test
  void everySendWrittenPassesTheCheck() {
    SendFailures failures = new SendFailures();
    failures.onCompletion(null, null);
    failures.onCompletion(null, null);
    assertThatCode(() -> failures.check("t")).doesNotThrowAnyException();
  }

  @Test
  void anEarlierFailureIsReportedEvenWhenTheLastSendSucceeded() {
    SendFailures failures = new SendFailures();
    failures.onCompletion(null, new OutOfOrderSequenceException("out of order"));
    failures.onCompletion(null, new TimeoutException("expired"));
    failures.onCompletion(null, null);
    assertThatThrownBy(() -> failures.check("bench.trajectories"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("2 records of bench.trajectories were not written")
        .hasMessageContaining("out of order")
        .hasCauseInstanceOf(OutOfOrderSequenceException.class);
  }
}
