package org.trajlake.recall.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class WorkspaceScopesTest {
  @Test
  void aWorkspaceWithoutParentsReadsOnlyItself() {
    // When nothing is configured, then a workspace reads itself alone
    assertThat(WorkspaceScopes.none().readableBy("team-a")).containsExactly("team-a");
  }

  @Test
  void parentsAreReadTransitivelyNearestFirst() {
    // Given team-a under dept, dept under org and shared
    WorkspaceScopes scopes = WorkspaceScopes.fromKeys(Map.of(
        "team-a.parents", "dept", "dept.parents", "org, shared"));

    // Then team-a reads itself, dept, org and shared, and dept does not read team-a
    assertThat(scopes.readableBy("team-a")).containsExactly("team-a", "dept", "org", "shared");
    assertThat(scopes.readableBy("dept")).containsExactly("dept", "org", "shared");
    assertThat(scopes.readableBy("org")).containsExactly("org");
  }

  @Test
  void aDiamondReadsEachAncestorOnce() {
    // Given a and b both under org, and c under a and b
    WorkspaceScopes scopes = WorkspaceScopes.fromKeys(Map.of(
        "c.parents", "a,b", "a.parents", "org", "b.parents", "org"));

    // Then org appears once
    assertThat(scopes.readableBy("c")).containsExactly("c", "a", "b", "org");
  }

  @Test
  void aCycleIsRefusedNamingItsPath() {
    // When a -> b -> c -> a, then start is refused with the cycle spelt out
    assertThatThrownBy(() -> WorkspaceScopes.fromKeys(Map.of(
        "a.parents", "b", "b.parents", "c", "c.parents", "a")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("recall.workspace.a.parents")
        .hasMessageContaining("a -> b -> c -> a");
  }

  @Test
  void aWorkspaceThatIsItsOwnParentIsRefused() {
    // When a workspace names itself, then it is a cycle
    assertThatThrownBy(() -> WorkspaceScopes.fromKeys(Map.of("a.parents", "a")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("a -> a");
  }

  @Test
  void anUnknownKeyOrMalformedNameIsRefused() {
    // When a key is not .parents, or a parent name is malformed, then each is refused naming its key
    assertThatThrownBy(() -> WorkspaceScopes.fromKeys(Map.of("a.children", "b")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("recall.workspace.a.children");
    assertThatThrownBy(() -> WorkspaceScopes.fromKeys(Map.of("a.parents", "b c")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'b c'");
  }
}
