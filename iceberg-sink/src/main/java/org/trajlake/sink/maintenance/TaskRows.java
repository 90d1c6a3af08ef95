package org.trajlake.sink.maintenance;

import java.util.List;
import java.util.Map;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.DeleteFilter;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IdentityPartitionConverters;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.PartitionUtil;

/**
 * The live rows of one data file as of a scan: read in the table's current schema (columns the file
 * predates come back null) with the delete files that apply to it already applied. This is what Iceberg's
 * generic reader does per file; it is not public there, and compaction needs rows file by file.
 */
final class TaskRows {
  private TaskRows() {}

  static CloseableIterable<Record> open(Table table, FileScanTask task) {
    Schema schema = table.schema();
    DeleteFilter<Record> deletes = new GenericDeleteFilter(table.io(), task, schema, schema);
    // Position deletes need the row position read too; the rows then carry a column the table lacks.
    Schema readSchema = deletes.requiredSchema();
    Map<Integer, ?> constants = PartitionUtil.constantsMap(task, IdentityPartitionConverters::convertConstant);
    CloseableIterable<Record> rows = deletes.filter(
        FormatModelRegistry.readBuilder(task.file().format(), Record.class, table.io().newInputFile(task.file()))
            .project(readSchema)
            .idToConstant(constants)
            .build());
    if (readSchema.columns().size() == schema.columns().size()) {
      return rows;
    }
    List<Types.NestedField> columns = schema.columns();
    return CloseableIterable.transform(rows, row -> {
      Record out = GenericRecord.create(schema);
      for (int i = 0; i < columns.size(); i++) {
        out.set(i, row.getField(columns.get(i).name()));
      }
      return out;
    });
  }
}
