package org.trajlake.recall;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Names the steps of a recalled trajectory that match the query text: the steps (from the hit's
 * {@code _source}) holding the most distinct query terms in their content, tool name, arguments or
 * output, best first, at most three, each with the passage around its first matching term.
 * Done here for the k trajectories returned rather than by OpenSearch for every candidate: a
 * nested query with inner hits on all steps cost more than the rest of a recall together.
 */
final class StepMatcher {
  static final int MAX_STEPS = 3;
  static final int SNIPPET_CHARS = 200;
  private static final Pattern SPLIT = Pattern.compile("[^\\p{L}\\p{N}_#.-]+");
  private static final Pattern PARTS = Pattern.compile("[#.-]+");
  private static final Set<String> STOPWORDS = Set.of("a", "an", "and", "are", "as", "at", "be", "by", "does", "for",
      "from", "how", "in", "is", "it", "of", "on", "or", "the", "to", "was", "what", "when", "why", "with");

  private final List<String> terms;

  StepMatcher(String query) {
    Set<String> unique = new LinkedHashSet<>();
    for (String token : SPLIT.split(query.toLowerCase(Locale.ROOT))) {
      // "OrderTest#timesOut" counts whole and by its parts, as code search does.
      add(unique, token);
      for (String part : PARTS.split(token)) {
        add(unique, part);
      }
    }
    this.terms = List.copyOf(unique);
  }

  /** The matching steps of a hit whose source holds {@code steps}; none without query terms. */
  List<MatchingStep> match(JsonNode source) {
    JsonNode steps = source.path("steps");
    if (terms.isEmpty() || !steps.isArray()) {
      return List.of();
    }
    record Scored(MatchingStep step, int hits) {}
    List<Scored> scored = new ArrayList<>();
    for (JsonNode step : steps) {
      String tool = step.path("tool_call").path("name").asText(null);
      List<String> texts = List.of(step.path("content").asText(""), tool == null ? "" : tool,
          step.path("tool_call").path("arguments").asText(""), step.path("tool_result").path("output").asText(""));
      // Lowered once per step, not once per term: a tool output runs to 8,192 characters.
      List<String> lowered = texts.stream().map(text -> text.toLowerCase(Locale.ROOT)).toList();
      int hits = 0;
      String snippet = null;
      for (String term : terms) {
        for (int i = 0; i < texts.size(); i++) {
          int at = lowered.get(i).indexOf(term);
          if (at >= 0) {
            hits++;
            if (snippet == null) {
              snippet = around(texts.get(i), at);
            }
            break;
          }
        }
      }
      if (hits > 0) {
        scored.add(new Scored(new MatchingStep(step.path("seq").asLong(), step.path("kind").asText(null), snippet, tool),
            hits));
      }
    }
    return scored.stream()
        .sorted(Comparator.comparingInt(Scored::hits).reversed().thenComparingLong(s -> s.step().seq()))
        .limit(MAX_STEPS)
        .map(Scored::step)
        .toList();
  }

  /** Up to {@value #SNIPPET_CHARS} characters of {@code text} around position {@code at}. */
  private static String around(String text, int at) {
    if (text.length() <= SNIPPET_CHARS) {
      return text;
    }
    int start = Math.max(0, Math.min(at - SNIPPET_CHARS / 4, text.length() - SNIPPET_CHARS));
    return text.substring(start, start + SNIPPET_CHARS);
  }

  private static void add(Set<String> terms, String token) {
    String term = trim(token);
    if (term.length() >= 2 && !STOPWORDS.contains(term)) {
      terms.add(term);
    }
  }

  /** Drops punctuation a tokenizer keeps at the ends ("memory." is "memory"). */
  private static String trim(String token) {
    int start = 0;
    int end = token.length();
    while (start < end && !Character.isLetterOrDigit(token.charAt(start))) {
      start++;
    }
    while (end > start && !Character.isLetterOrDigit(token.charAt(end - 1))) {
      end--;
    }
    return token.substring(start, end);
  }
}
