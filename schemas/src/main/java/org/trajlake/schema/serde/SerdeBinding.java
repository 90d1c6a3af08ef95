package org.trajlake.schema.serde;

import org.trajlake.schema.registry.SchemaRegistry;

/** What a configured serializer or deserializer talks to and how: fixed at configure time. */
record SerdeBinding(SchemaRegistry registry, boolean isKey, boolean autoRegister, int cacheCapacity) {
  String subject(String topic) {
    // Confluent's TopicNameStrategy, so clients in other languages find the same subject.
    return topic + (isKey ? "-key" : "-value");
  }
}
