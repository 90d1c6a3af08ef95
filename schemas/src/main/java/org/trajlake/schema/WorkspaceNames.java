package org.trajlake.schema;

import java.util.regex.Pattern;

/**
 * What a workspace may be called: 1 to 128 of {@code A-Z a-z 0-9 . _ : -}. One rule for every path, so a
 * trajectory ingest accepts is always one recall can be asked for (recall refuses other names with a
 * 400, and an index query by workspace must match exactly).
 */
public final class WorkspaceNames {
  public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  public static final String RULE = "1 to 128 of A-Z a-z 0-9 . _ : -";

  private WorkspaceNames() {}

  public static boolean isValid(String workspace) {
    return workspace != null && PATTERN.matcher(workspace).matches();
  }
}
