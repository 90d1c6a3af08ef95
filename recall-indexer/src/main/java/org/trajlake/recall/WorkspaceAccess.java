package org.trajlake.recall;

import java.util.Collection;
import java.util.Set;

/**
 * Which workspaces a caller may ask to recall from: an API key's list, the MCP stdio list, or any.
 * A workspace granted here reads its configured parents too: they are its memory.
 *
 * @param principal who the caller is, for error messages ({@code api key 'ci'})
 * @param workspaces the workspaces it may read, when not {@code any}
 * @param any whether it may read every workspace
 */
public record WorkspaceAccess(String principal, Set<String> workspaces, boolean any) {
  public static final WorkspaceAccess ANY = new WorkspaceAccess("anyone", Set.of(), true);

  public WorkspaceAccess {
    workspaces = Set.copyOf(workspaces);
  }

  public static WorkspaceAccess only(String principal, Collection<String> workspaces) {
    return new WorkspaceAccess(principal, Set.copyOf(workspaces), false);
  }

  public boolean mayRead(String workspace) {
    return any || workspaces.contains(workspace);
  }

  /**
   * @throws ForbiddenWorkspaceException when {@code workspace} is not granted
   */
  public void check(String workspace) {
    if (!mayRead(workspace)) {
      throw new ForbiddenWorkspaceException(principal + " may not read workspace '" + workspace + "'");
    }
  }

  /** A request for a workspace the caller was not granted (HTTP 403). */
  public static final class ForbiddenWorkspaceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ForbiddenWorkspaceException(String message) {
      super(message);
    }
  }
}
