package org.trajlake.recall.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch._types.ErrorResponse;
import org.opensearch.client.opensearch._types.OpenSearchException;

class AccessRefusalTest {
  @Test
  void aRefusalOfWhoAsksNamesTheKeysThatSetIt() {
    // When OpenSearch answers 401 or 403 to a whole request
    // Then the explanation names the settings to check
    assertThat(AccessRefusal.explain(401)).hasValueSatisfying(why -> assertThat(why)
        .contains("refused the credentials").contains(OpenSearchSettings.USERNAME).contains(OpenSearchSettings.PASSWORD));
    assertThat(AccessRefusal.explain(403)).hasValueSatisfying(why -> assertThat(why)
        .contains(OpenSearchSettings.USERNAME).contains(OpenSearchSettings.INDEX_PREFIX).contains("block"));
  }

  @Test
  void aRefusedRequestMetWhileRunningEndsWithTheKeys() {
    // Given OpenSearch's parsed 401, and the same inside the failure a caller sees
    OpenSearchException refused = new OpenSearchException(ErrorResponse.of(e -> e.status(401)
        .error(c -> c.type("security_exception").reason("Unauthorized"))));

    // Then the hint says which keys to check, wherever the answer sits
    assertThat(AccessRefusal.hint(refused)).startsWith("; ").contains(OpenSearchSettings.PASSWORD);
    assertThat(AccessRefusal.hint(new IllegalStateException("recall failed", refused)))
        .isEqualTo(AccessRefusal.hint(refused));
  }

  @Test
  void otherAnswersAndLostConnectionsAreNotRefusals() {
    // When OpenSearch is busy, failing or gone
    // Then there is nothing to say about credentials
    assertThat(AccessRefusal.explain(429)).isEmpty();
    assertThat(AccessRefusal.explain(503)).isEmpty();
    assertThat(AccessRefusal.answeredStatus(new IOException("Connection refused"))).isEmpty();
    assertThat(AccessRefusal.hint(new IOException("Connection refused"))).isEmpty();
    assertThat(AccessRefusal.hint(new OpenSearchException(ErrorResponse.of(e -> e.status(429)
        .error(c -> c.type("rejected_execution_exception").reason("busy")))))).isEmpty();
  }
}
