package org.trajlake.recall.index;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;

/**
 * How a bulk request's actions and documents are encoded. OpenSearch reads both as it reads NDJSON:
 * each action and each document one encoded value followed by the format's separator.
 * {@link IndexAdmin#bulkFormat()} picks the one the live indexes take.
 */
public enum BulkFormat {
  /**
   * Smile, Jackson's binary JSON: a vector's floats go as five bytes each instead of their shortest
   * decimal. Printing them was a third of the indexer's CPU and parsing them back a tenth of
   * OpenSearch's, and the smaller {@code _source} is cheaper to compress and store. Binary values
   * stay 7-bit encoded (Jackson's default), so no byte of a document can be the 0xFF separator.
   */
  SMILE("application/smile", (byte) 0xFF, new ObjectMapper(new SmileFactory())),
  /**
   * JSON, one document per line. For indexes with the k-NN plugin's derived source, which reads
   * each incoming document as JSON and refuses a Smile one ("Failed to parse content to map").
   */
  JSON("application/json", (byte) '\n', new ObjectMapper(OpenSearchClients.fastJson()));

  final String contentType;
  final byte separator;
  final ObjectMapper mapper;

  BulkFormat(String contentType, byte separator, ObjectMapper mapper) {
    this.contentType = contentType;
    this.separator = separator;
    this.mapper = mapper.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
  }
}
