package org.trajlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AllServicesTest {
  @Test
  void theUnhealthyServicesAreListedWithWhatTheySayIsWrong() {
    // Given five services: two healthy, one down with a reason, one down without one
    List<AllServices.Service> services = List.of(
        service("iceberg-sink", AllServices.problem(true, Optional.of("stale reason, healthy again"))),
        service("recall-indexer", AllServices.problem(false,
            Optional.of("records not indexed: OpenSearch did not answer within opensearch.timeout.ms"))),
        service("reward-joiner", AllServices.problem(false, Optional.empty())),
        service("ingest-streams", AllServices.problem(true, Optional.empty())),
        service("recall", Optional.empty()));

    // When the demo asks which are not healthy
    List<String> unhealthy = AllServices.unhealthy(services);

    // Then the two down are named, in start order, each with what it says
    assertThat(unhealthy).containsExactly(
        "recall-indexer: records not indexed: OpenSearch did not answer within opensearch.timeout.ms",
        "reward-joiner: not healthy");
  }

  private static AllServices.Service service(String name, Optional<String> problem) {
    return new AllServices.Service(name, "-", () -> { }, () -> problem);
  }
}
