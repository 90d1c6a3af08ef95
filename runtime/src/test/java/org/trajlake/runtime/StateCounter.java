package org.trajlake.runtime;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/** A minimal specific record, as avro-maven-plugin would generate. */
public final class StateCounter extends SpecificRecordBase {
  public static final Schema SCHEMA$ = new Schema.Parser().parse(
      "{\"type\":\"record\",\"name\":\"StateCounter\",\"namespace\":\"org.trajlake.runtime\","
          + "\"fields\":[{\"name\":\"name\",\"type\":{\"type\":\"string\",\"avro.java.string\":\"String\"}},"
          + "{\"name\":\"count\",\"type\":\"long\"}]}");
  private String name;
  private long count;

  public StateCounter() {}

  StateCounter(String name, long count) {
    this.name = name;
    this.count = count;
  }

  public static Schema getClassSchema() {
    return SCHEMA$;
  }

  @Override
  public Schema getSchema() {
    return SCHEMA$;
  }

  @Override
  public Object get(int field) {
    return field == 0 ? name : count;
  }

  @Override
  public void put(int field, Object value) {
    if (field == 0) {
      name = value.toString();
    } else {
      count = (Long) value;
    }
  }
}

