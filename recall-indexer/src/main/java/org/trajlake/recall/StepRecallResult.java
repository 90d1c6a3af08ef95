package org.trajlake.recall;

import java.util.List;

/**
 * The tool calls a step recall found, best first.
 *
 * @param fusion {@code rrf}, {@code native-rrf} or {@code none}, as in {@link RecallResult}
 */
public record StepRecallResult(RecallMode mode, String fusion, long tookMs, List<RecalledToolCall> toolCalls) {}
