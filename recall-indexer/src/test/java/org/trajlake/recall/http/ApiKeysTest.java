package org.trajlake.recall.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.trajlake.recall.WorkspaceAccess;

class ApiKeysTest {
  private static final String CI = "ci-0123456789abcdef";
  private static final String ADMIN = "admin-0123456789abcdef";
  private final ApiKeys keys = ApiKeys.fromKeys(Map.of(
      "ci", CI, "ci.workspaces", "team-a, team-b",
      "admin", ADMIN, "admin.workspaces", "*"));

  @Test
  void aKnownSecretGrantsItsWorkspacesOnly() {
    // When the ci key authenticates
    WorkspaceAccess access = keys.authenticate(CI).orElseThrow();

    // Then it may read team-a and team-b, and nothing else
    assertThat(access.mayRead("team-a")).isTrue();
    assertThat(access.mayRead("team-b")).isTrue();
    assertThat(access.mayRead("team-c")).isFalse();
    assertThatThrownBy(() -> access.check("team-c"))
        .isInstanceOf(WorkspaceAccess.ForbiddenWorkspaceException.class)
        .hasMessage("API key 'ci' may not read workspace 'team-c'");
  }

  @Test
  void aStarGrantsEveryWorkspace() {
    // When the admin key authenticates, then it reads any workspace
    assertThat(keys.authenticate(ADMIN).orElseThrow().mayRead("anything")).isTrue();
  }

  @Test
  void anUnknownOrMissingSecretIsNotAuthenticated() {
    // When the secret is wrong, a prefix of a real one, or absent, then nothing is granted
    assertThat(keys.authenticate("wrong-0123456789abcdef")).isEmpty();
    assertThat(keys.authenticate(CI.substring(0, 10))).isEmpty();
    assertThat(keys.authenticate(null)).isEmpty();
    assertThat(keys.enabled()).isTrue();
    assertThat(ApiKeys.none().enabled()).isFalse();
  }

  @Test
  void theSecretComesFromBearerOrXApiKey() {
    // When a request carries a bearer token, an X-API-Key, both, or neither
    assertThat(ApiKeys.secretOf("Bearer abc", null)).contains("abc");
    assertThat(ApiKeys.secretOf("bearer abc", null)).contains("abc");
    assertThat(ApiKeys.secretOf(null, "xyz")).contains("xyz");
    assertThat(ApiKeys.secretOf("Bearer abc", "xyz")).contains("abc");
    assertThat(ApiKeys.secretOf("Basic dXNlcjpwYXNz", null)).isEmpty();
    assertThat(ApiKeys.secretOf(null, null)).isEmpty();
  }

  @Test
  void aShortSecretIsRefusedWithoutPrintingIt() {
    // When a secret is shorter than 16 characters, then it is refused naming the key, not the secret
    assertThatThrownBy(() -> ApiKeys.fromKeys(Map.of("ci", "short1", "ci.workspaces", "team-a")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("recall.api.key.ci")
        .hasMessageNotContaining("short1");
  }

  @Test
  void workspacesWithoutASecretAreRefused() {
    // When a key lists workspaces but has no secret, then the workspaces key is named
    assertThatThrownBy(() -> ApiKeys.fromKeys(Map.of("ci.workspaces", "team-a")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("recall.api.key.ci.workspaces")
        .hasMessageContaining("no secret");
  }

  @Test
  void twoKeysWithOneSecretAreRefused() {
    // When two names share a secret, then it is refused: the key would be ambiguous
    assertThatThrownBy(() -> ApiKeys.fromKeys(Map.of("a", CI, "a.workspaces", "x", "b", CI, "b.workspaces", "y")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("same secret");
  }
}
