package org.trajlake.recall;

/**
 * A step of a recalled trajectory that matched the query text.
 *
 * @param seq the step's position in its trajectory
 * @param kind OBSERVATION, THOUGHT, TOOL_CALL, TOOL_RESULT, ...
 * @param snippet the matching passage of its content, tool arguments or tool output
 * @param tool the tool it called, or null
 */
public record MatchingStep(long seq, String kind, String snippet, String tool) {}
