package org.trajlake.schema.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record could not be turned into Confluent-wire-format Avro bytes or back. The {@link #reason()}
 * says why in a form a stage can put on the dead-letter record; the message says it in plain words.
 */
public class AvroSerdeException extends SerializationException {
  private static final long serialVersionUID = 1L;

  /** Why serialization or deserialization failed. */
  public enum Reason {
    /** The bytes do not start with the 5-byte header (magic byte 0, schema id): too short or wrong first byte. */
    NO_MAGIC_BYTE(true),
    /** The header names a schema id the registry does not know. */
    UNKNOWN_SCHEMA_ID(true),
    /** The Avro body does not decode with the writer schema, is truncated, or has bytes left over. */
    DECODE_FAILED(true),
    /** The record cannot be encoded with its schema (for example a required field is null). */
    ENCODE_FAILED(true),
    /** The schema is not registered under the subject and auto-registration is off. */
    SCHEMA_NOT_REGISTERED(false),
    /** The registry refused to register the schema under the subject's compatibility rule. */
    INCOMPATIBLE_SCHEMA(false),
    /** The registry could not be reached, or kept failing, after retries. */
    REGISTRY_UNAVAILABLE(false),
    /** The registry refused the request for another reason (authentication, invalid request). */
    REGISTRY_ERROR(false);

    private final boolean badRecord;

    Reason(boolean badRecord) {
      this.badRecord = badRecord;
    }

    /**
     * True when the fault lies with this one record, so a stage should dead-letter it and go on;
     * false when the setup is at fault (registry, configuration) and every record would fail the
     * same way, so the stage should retry or stop rather than dead-letter everything.
     */
    public boolean isBadRecord() {
      return badRecord;
    }
  }

  private final Reason reason;

  public AvroSerdeException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public AvroSerdeException(Reason reason, String message) {
    this(reason, message, null);
  }

  public Reason reason() {
    return reason;
  }
}
