package org.trajlake.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The released versions of a top-level schema, kept in the module as
 * org/trajlake/schema/released/&lt;RecordName&gt;/v&lt;N&gt;.avsc, numbered from 1 without gaps.
 */
final class ReleasedSchemas {
  private ReleasedSchemas() {}

  static List<Schema> of(String recordName) {
    List<Schema> versions = new ArrayList<>();
    for (int version = 1; ; version++) {
      Schema schema = load("/org/trajlake/schema/released/" + recordName + "/v" + version + ".avsc");
      if (schema == null) {
        return versions;
      }
      versions.add(schema);
    }
  }

  /** A schema file from the test or main resources, or null when there is none. */
  static Schema load(String resource) {
    try (InputStream in = ReleasedSchemas.class.getResourceAsStream(resource)) {
      return in == null ? null : new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(resource, e);
    }
  }
}
