package org.trajlake.recall.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

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
  void otherAnswersAndLostConnectionsAreNotRefusals() {
    // When OpenSearch is busy, failing or gone
    // Then there is nothing to say about credentials
    assertThat(AccessRefusal.explain(429)).isEmpty();
    assertThat(AccessRefusal.explain(503)).isEmpty();
    assertThat(AccessRefusal.answeredStatus(new IOException("Connection refused"))).isEmpty();
  }
}
