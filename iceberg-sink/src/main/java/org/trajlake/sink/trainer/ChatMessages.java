package org.trajlake.sink.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.data.Record;

/**
 * A trajectory row as the chat messages SFT and DPO trainers take. The mapping:
 *
 * <ul>
 *   <li>{@code system}: the trajectory attribute {@value #SYSTEM_PROMPT}, when there is one, first;
 *   <li>OBSERVATION and MESSAGE steps: {@code user} messages with the step's content; the first one is
 *       the task (what a DPO prompt ends with);
 *   <li>THOUGHT and ACTION steps: {@code assistant} messages with the step's content;
 *   <li>TOOL_CALL steps: a call {@code {"id": call_id, "type": "function", "function": {"name", "arguments"}}}
 *       (arguments kept as the JSON string the agent sent) added to the assistant message just before,
 *       so a thought and the calls it leads to, and parallel calls, are one message; with no assistant
 *       message just before, a new one with empty content;
 *   <li>TOOL_RESULT steps: a {@code tool} message with {@code tool_call_id} and the output as content;
 *   <li>REWARD and END steps, and kinds a newer writer added: left out, they are not conversation.
 * </ul>
 *
 * Steps are taken in stored order, which is seq order (the assembler sorts them).
 */
final class ChatMessages {
  /** The trajectory attribute holding the agent's system prompt. */
  static final String SYSTEM_PROMPT = "system_prompt";

  /** The columns the mapping reads: steps without their embeddings, which are most of a row's bytes. */
  static final List<String> COLUMNS = List.of("trajectory_id", "task_id", "reward", "attributes", "steps.kind",
      "steps.content", "steps.tool_call", "steps.tool_result");

  private ChatMessages() {}

  static List<ChatMessage> of(Record trajectory) {
    List<ChatMessage> messages = new ArrayList<>();
    Map<?, ?> attributes = (Map<?, ?>) trajectory.getField("attributes");
    Object systemPrompt = attributes == null ? null : attributes.get(SYSTEM_PROMPT);
    if (systemPrompt != null) {
      messages.add(ChatMessage.of(ChatMessage.SYSTEM, systemPrompt.toString()));
    }
    List<?> steps = (List<?>) trajectory.getField("steps");
    for (Object item : steps == null ? List.of() : steps) {
      Record step = (Record) item;
      String content = text(step.getField("content"));
      switch (text(step.getField("kind"))) {
        case "OBSERVATION", "MESSAGE" -> messages.add(ChatMessage.of(ChatMessage.USER, content));
        case "THOUGHT", "ACTION" -> messages.add(ChatMessage.of(ChatMessage.ASSISTANT, content));
        case "TOOL_CALL" -> addCall(messages, (Record) step.getField("tool_call"));
        case "TOOL_RESULT" -> {
          Record result = (Record) step.getField("tool_result");
          messages.add(new ChatMessage(ChatMessage.TOOL, result == null ? content : text(result.getField("output")),
              null, result == null ? null : text(result.getField("call_id"))));
        }
        default -> {
          // REWARD, END and unknown kinds carry no conversation.
        }
      }
    }
    return messages;
  }

  /** The index just after the first user message (the task), or -1 when there is none. */
  static int afterTask(List<ChatMessage> messages) {
    for (int i = 0; i < messages.size(); i++) {
      if (ChatMessage.USER.equals(messages.get(i).role())) {
        return i + 1;
      }
    }
    return -1;
  }

  private static void addCall(List<ChatMessage> messages, Record call) {
    if (call == null) {
      return;
    }
    ChatMessage.ToolCall toolCall = ChatMessage.ToolCall.function(text(call.getField("call_id")),
        text(call.getField("name")), text(call.getField("arguments")));
    int last = messages.size() - 1;
    if (last >= 0 && ChatMessage.ASSISTANT.equals(messages.get(last).role())) {
      messages.set(last, messages.get(last).withCall(toolCall));
    } else {
      messages.add(ChatMessage.of(ChatMessage.ASSISTANT, "").withCall(toolCall));
    }
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }
}
