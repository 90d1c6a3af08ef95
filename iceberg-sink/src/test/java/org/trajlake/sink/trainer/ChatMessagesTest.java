package org.trajlake.sink.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trajlake.sink.trainer.Trajectories.action;
import static org.trajlake.sink.trainer.Trajectories.call;
import static org.trajlake.sink.trainer.Trajectories.end;
import static org.trajlake.sink.trainer.Trajectories.message;
import static org.trajlake.sink.trainer.Trajectories.observation;
import static org.trajlake.sink.trainer.Trajectories.result;
import static org.trajlake.sink.trainer.Trajectories.reward;
import static org.trajlake.sink.trainer.Trajectories.thought;
import static org.trajlake.sink.trainer.Trajectories.trajectory;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.List;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;

/** How a trajectory's steps become the chat messages of an SFT line. */
class ChatMessagesTest {
  @Test
  void stepsBecomeSystemUserAssistantAndToolMessages() throws JsonProcessingException {
    // Given a trajectory with a system prompt, a thought leading to two parallel tool calls, their
    // results, an action, a follow-up message, a step reward and an end
    Record row = Trajectories.row(trajectory("t1").task("fix-bug-12").attribute("system_prompt", "You fix bugs.")
        .steps(observation("Fix bug 12 in parser.py"), thought("Read the file first."),
            call("c1", "read_file", "{\"path\":\"parser.py\"}"), call("c2", "grep", "{\"q\":\"parse\"}"),
            result("c1", "def parse(): ..."), result("c2", "parser.py:3"), action("Patched line 3."),
            message("Thanks, ship it."), reward(1.0), end())
        .build());

    // When it is mapped
    List<ChatMessage> messages = ChatMessages.of(row);

    // Then the thought and both calls are one assistant message, results are tool messages, and the
    // reward and end steps are gone
    assertThat(JsonLinesFile.MAPPER.writeValueAsString(messages)).isEqualTo("["
        + "{\"role\":\"system\",\"content\":\"You fix bugs.\"},"
        + "{\"role\":\"user\",\"content\":\"Fix bug 12 in parser.py\"},"
        + "{\"role\":\"assistant\",\"content\":\"Read the file first.\",\"tool_calls\":["
        + "{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"read_file\",\"arguments\":\"{\\\"path\\\":\\\"parser.py\\\"}\"}},"
        + "{\"id\":\"c2\",\"type\":\"function\",\"function\":{\"name\":\"grep\",\"arguments\":\"{\\\"q\\\":\\\"parse\\\"}\"}}]},"
        + "{\"role\":\"tool\",\"content\":\"def parse(): ...\",\"tool_call_id\":\"c1\"},"
        + "{\"role\":\"tool\",\"content\":\"parser.py:3\",\"tool_call_id\":\"c2\"},"
        + "{\"role\":\"assistant\",\"content\":\"Patched line 3.\"},"
        + "{\"role\":\"user\",\"content\":\"Thanks, ship it.\"}]");
  }

  @Test
  void aCallWithNoAssistantMessageBeforeItGetsItsOwn() {
    // Given no system prompt and a tool call straight after the task
    Record row = Trajectories.row(trajectory("t2").steps(observation("List files"), call("c1", "bash", "{}"),
        result("c1", "a.txt"), end()).build());

    // When it is mapped
    List<ChatMessage> messages = ChatMessages.of(row);

    // Then there is no system message and the call is an assistant message with empty content
    assertThat(messages).extracting(ChatMessage::role).containsExactly("user", "assistant", "tool");
    assertThat(messages.get(1).content()).isEmpty();
    assertThat(messages.get(1).toolCalls()).extracting(c -> c.function().name()).containsExactly("bash");
  }

  @Test
  void theTaskIsTheFirstUserMessage() {
    List<ChatMessage> messages = List.of(ChatMessage.of("system", "s"), ChatMessage.of("user", "task"),
        ChatMessage.of("assistant", "a"), ChatMessage.of("user", "more"));

    assertThat(ChatMessages.afterTask(messages)).isEqualTo(2);
    assertThat(ChatMessages.afterTask(List.of(ChatMessage.of("assistant", "a")))).isEqualTo(-1);
  }
}
