package org.trajlake.schema.serde;

/**
 * The Confluent wire format: byte 0 is the magic byte 0, bytes 1-4 the schema id as a big-endian
 * int, then the Avro binary encoding of the datum (no container file header, no fingerprint).
 */
final class WireFormat {
  static final byte MAGIC_BYTE = 0;
  static final int HEADER_SIZE = 5;

  private WireFormat() {}

  static int schemaId(byte[] payload) {
    return ((payload[1] & 0xff) << 24)
        | ((payload[2] & 0xff) << 16)
        | ((payload[3] & 0xff) << 8)
        | (payload[4] & 0xff);
  }

  static byte[] header(int schemaId) {
    return new byte[] {
      MAGIC_BYTE, (byte) (schemaId >>> 24), (byte) (schemaId >>> 16), (byte) (schemaId >>> 8), (byte) schemaId
    };
  }
}
