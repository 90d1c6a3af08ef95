package org.trajlake.sink.table;

import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.TypeUtil;

/**
 * Creates the training tables on first use and evolves their schemas as writers add fields.
 *
 * <p>The trajectories table is created unpartitioned and then given its day(ended_at) spec, so the
 * table keeps an unpartitioned spec (id 0) beside the default one. The sink writes its equality deletes
 * with that spec: Iceberg applies deletes of an unpartitioned spec to every partition ("global"
 * deletes), so a newer version replaces the older row even when a late event moved its end time to
 * another day.
 */
public final class SinkTables {
  /** Id of the unpartitioned spec every trajectories table has, for global equality deletes. */
  public static final int GLOBAL_DELETE_SPEC_ID = 0;

  private final Catalog catalog;
  private final String namespace;
  private final Map<String, String> properties;

  /**
   * @param properties table properties for tables this creates (file size, compression, ...)
   */
  public SinkTables(Catalog catalog, String namespace, Map<String, String> properties) {
    this.catalog = catalog;
    this.namespace = namespace;
    this.properties = Map.copyOf(properties);
  }

  /** The default properties of a table the sink creates. */
  public static Map<String, String> defaultProperties(long targetFileSizeBytes) {
    Map<String, String> properties = new HashMap<>();
    properties.put(TableProperties.FORMAT_VERSION, "2");
    properties.put(TableProperties.PARQUET_COMPRESSION, "zstd");
    properties.put(TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, Long.toString(targetFileSizeBytes));
    properties.put(TableProperties.DEFAULT_WRITE_METRICS_MODE, "truncate(64)");
    // The sink checks before each commit that nobody committed its partitions' offsets meanwhile; an
    // automatic retry would re-apply the commit on top of someone else's without that check.
    properties.put(TableProperties.COMMIT_NUM_RETRIES, "0");
    return properties;
  }

  /** The trajectories table, created for {@code schema} when it does not exist. */
  public Table trajectories(Schema schema) {
    return createOrLoad(TableNames.trajectories(namespace), schema, true, TableNames.ENDED_AT);
  }

  /** The outcomes table, created for {@code schema} when it does not exist. */
  public Table outcomes(Schema schema) {
    return createOrLoad(TableNames.outcomes(namespace), schema, false, TableNames.OUTCOME_TS);
  }

  /**
   * Adds to {@code table} every column of {@code derived} it lacks (nested ones too), keeping ids of
   * the existing ones. Returns whether the schema changed.
   */
  public static boolean evolve(Table table, Schema derived) {
    if (containsAll(table.schema(), derived)) {
      return false;
    }
    table.updateSchema().unionByNameWith(derived).commit();
    return true;
  }

  /** Whether every column of {@code derived} is already in {@code current}, by name. */
  public static boolean containsAll(Schema current, Schema derived) {
    Map<String, Integer> names = TypeUtil.indexByName(current.asStruct());
    return TypeUtil.indexByName(derived.asStruct()).keySet().stream().allMatch(names::containsKey);
  }

  private Table createOrLoad(TableIdentifier id, Schema schema, boolean globalDeletes, String dayColumn) {
    if (catalog.tableExists(id)) {
      return catalog.loadTable(id);
    }
    if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(Namespace.of(namespace))) {
      try {
        namespaces.createNamespace(Namespace.of(namespace));
      } catch (AlreadyExistsException e) {
        // another instance created it first
      }
    }
    try {
      PartitionSpec spec = globalDeletes
          ? PartitionSpec.unpartitioned()
          : PartitionSpec.builderFor(schema).day(dayColumn).build();
      Table table = catalog.buildTable(id, schema).withPartitionSpec(spec).withProperties(properties).create();
      if (globalDeletes) {
        table.updateSpec().addField(Expressions.day(dayColumn)).commit();
      }
      return table;
    } catch (AlreadyExistsException e) {
      return catalog.loadTable(id);
    }
  }
}
