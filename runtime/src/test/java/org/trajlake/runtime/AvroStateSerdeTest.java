package org.trajlake.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroStateSerdeTest {

  private final AvroStateSerde<StateCounter> serde = new AvroStateSerde<>(StateCounter.class);

  @Test
  void roundTripsWithAFormatByte() {
    byte[] bytes = serde.serializer().serialize("store", new StateCounter("steps", 42));

    assertThat(bytes[0]).isEqualTo((byte) 1);
    StateCounter back = serde.deserializer().deserialize("store", bytes);
    assertThat(back.get(0)).isEqualTo("steps");
    assertThat(back.get(1)).isEqualTo(42L);
  }

  @Test
  void nullStaysNull() {
    assertThat(serde.serializer().serialize("store", null)).isNull();
    assertThat(serde.deserializer().deserialize("store", null)).isNull();
  }

  @Test
  void anUnknownFormatIsRefusedClearly() {
    assertThatThrownBy(() -> serde.deserializer().deserialize("store", new byte[] {7, 1, 2}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("format byte 7");
  }
}
