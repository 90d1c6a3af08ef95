package org.trajlake.recall.index;

import java.util.Optional;
import java.util.OptionalInt;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.transport.httpclient5.ResponseException;

/**
 * OpenSearch refusing who asks, said in this project's settings. Read as "unreachable", "the alias
 * does not exist" or a failed write, a 401 sent the user after the wrong setting.
 */
public final class AccessRefusal {
  private AccessRefusal() {}

  /**
   * The status OpenSearch answered, when a failure carries the answer: an error the client parsed,
   * or, from the transport, a 401 or 403 as an IOException ("Unauthorized access") around the answer
   * and an answer without a JSON body (a HEAD's) as one around its status.
   */
  public static OptionalInt answeredStatus(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ResponseException answered) {
        return OptionalInt.of(answered.status());
      }
      if (cause instanceof OpenSearchException answered) {
        return OptionalInt.of(answered.status());
      }
    }
    return OptionalInt.empty();
  }

  /**
   * {@code "; "} and what the failure's answer means when OpenSearch refused who asks, else empty:
   * to end the message of a failure met while running (credentials rotated under a service).
   */
  public static String hint(Throwable failure) {
    OptionalInt status = answeredStatus(failure);
    return status.isEmpty() ? "" : explain(status.getAsInt()).map(why -> "; " + why).orElse("");
  }

  /**
   * What a whole request answered 401 or 403 means, naming the keys to check; empty for any other
   * status.
   */
  public static Optional<String> explain(int status) {
    if (status == 401) {
      return Optional.of("OpenSearch refused the credentials; check " + OpenSearchSettings.USERNAME + " and "
          + OpenSearchSettings.PASSWORD);
    }
    if (status == 403) {
      return Optional.of("the user of " + OpenSearchSettings.USERNAME + " may not do this (the indexer creates and "
          + "writes the indexes of " + OpenSearchSettings.INDEX_PREFIX + ", recall reads them), or a cluster block "
          + "(a full disk) stops writes");
    }
    return Optional.empty();
  }
}
