package org.trajlake.sink.trainer;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * One chat message in the OpenAI / Hugging Face format: {@code role} and {@code content}, plus
 * {@code tool_calls} on an assistant message that calls tools and {@code tool_call_id} on a tool message.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ChatMessage(String role, String content, List<ToolCall> toolCalls, String toolCallId) {
  static final String SYSTEM = "system";
  static final String USER = "user";
  static final String ASSISTANT = "assistant";
  static final String TOOL = "tool";

  /** A function call; {@code arguments} is a JSON document as a string, as the format has it. */
  record ToolCall(String id, String type, Function function) {
    static ToolCall function(String id, String name, String arguments) {
      return new ToolCall(id, "function", new Function(name, arguments));
    }
  }

  record Function(String name, String arguments) {}

  static ChatMessage of(String role, String content) {
    return new ChatMessage(role, content, null, null);
  }

  /** This assistant message with {@code call} added to its tool calls. */
  ChatMessage withCall(ToolCall call) {
    List<ToolCall> calls = toolCalls == null ? new ArrayList<>() : new ArrayList<>(toolCalls);
    calls.add(call);
    return new ChatMessage(role, content, List.copyOf(calls), toolCallId);
  }
}
