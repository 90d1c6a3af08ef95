package org.trajlake.recall;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.trajlake.recall.query.WorkspaceScopes;

/** The validation rules both request types share; each failure names the JSON field at fault. */
final class Checks {
  static final int MAX_K = 100;
  static final int MAX_QUERY_CHARS = 8_192;
  static final int MAX_FILTER_VALUES = 100;

  private Checks() {}

  static String workspace(String workspace) {
    if (workspace == null || workspace.isEmpty()) {
      throw new InvalidRequestException("workspace", "workspace is required: recall only reads one workspace's memory");
    }
    if (!WorkspaceScopes.NAME.matcher(workspace).matches()) {
      throw new InvalidRequestException("workspace", "workspace '" + abbreviate(workspace)
          + "' is malformed: use 1 to 128 of the characters A-Z a-z 0-9 . _ : -");
    }
    return workspace;
  }

  static String query(String query, RecallMode mode, float[] vector) {
    String text = query == null ? "" : query.strip();
    if (text.isEmpty() && !(mode == RecallMode.VECTOR && vector != null)) {
      throw new InvalidRequestException("query", "query is required (only mode vector with a vector can do without)");
    }
    if (text.length() > MAX_QUERY_CHARS) {
      throw new InvalidRequestException("query", "query has " + text.length() + " characters; at most " + MAX_QUERY_CHARS);
    }
    return text;
  }

  static float[] vector(float[] vector) {
    if (vector == null) {
      return null;
    }
    boolean allZero = true;
    for (float value : vector) {
      if (!Float.isFinite(value)) {
        throw new InvalidRequestException("vector", "vector holds a value that is not a finite number");
      }
      allZero &= value == 0f;
    }
    if (vector.length == 0 || allZero) {
      // Cosine similarity of a zero vector is undefined: OpenSearch would refuse it with a 500.
      throw new InvalidRequestException("vector", "vector is empty or all zeros; cosine similarity needs a direction");
    }
    return vector.clone();
  }

  static int k(int k) {
    if (k < 1 || k > MAX_K) {
      throw new InvalidRequestException("k", "k is " + k + "; it must be between 1 and " + MAX_K);
    }
    return k;
  }

  /**
   * The filters, none of them one that {@code taken} lacks: a recall cannot apply such a filter, and
   * leaving it out would silently widen the recall. Refused as the JSON reader refuses it.
   */
  static RecallFilters filters(RecallFilters filters, Set<String> taken) {
    if (filters == null) {
      return RecallFilters.NONE;
    }
    for (String name : filters.names()) {
      if (!taken.contains(name)) {
        throw unknownField("filters.", name, taken);
      }
    }
    return filters;
  }

  static InvalidRequestException unknownField(String path, String name, Set<String> known) {
    return new InvalidRequestException(path + name, "unknown field '" + path + name + "'; known: "
        + String.join(", ", known.stream().sorted().toList()));
  }

  static List<String> values(String field, List<String> values) {
    if (values == null) {
      return List.of();
    }
    if (values.size() > MAX_FILTER_VALUES) {
      throw new InvalidRequestException(field, field + " has " + values.size() + " values; at most " + MAX_FILTER_VALUES);
    }
    for (String value : values) {
      if (value == null || value.isBlank()) {
        throw new InvalidRequestException(field, field + " holds an empty value");
      }
    }
    return List.copyOf(values);
  }

  static void range(String field, Double gte, Double lte) {
    if ((gte != null && gte.isNaN()) || (lte != null && lte.isNaN())) {
      throw new InvalidRequestException(field, field + " bounds must be numbers");
    }
    if (gte != null && lte != null && gte > lte) {
      throw new InvalidRequestException(field, field + " range is inverted: gte " + gte + " is above lte " + lte);
    }
  }

  static void range(String field, Instant from, Instant to) {
    if (from != null && to != null && from.isAfter(to)) {
      throw new InvalidRequestException(field, field + " range is inverted: from " + from + " is after to " + to);
    }
  }

  static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
