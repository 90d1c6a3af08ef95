package org.trajlake.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.hadoop.HadoopFileIO;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SeekableInputStream;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trajlake.runtime.Settings;
import org.trajlake.sink.table.PartitionedRowWriter;

class LocalFileIOTest {
  @TempDir
  Path dir;

  private final LocalFileIO io = new LocalFileIO();

  @Test
  void writesThroughTheBufferAndCountsThePositionThenReadsBack() throws IOException {
    // Given a location in a directory that does not exist yet, written as a file URI
    String location = dir.toUri() + "a/b/data.bin";
    byte[] bytes = "hello, lake".getBytes(StandardCharsets.UTF_8);

    // When it is written in pieces
    try (PositionOutputStream out = io.newOutputFile(location).create()) {
      out.write(bytes, 0, 5);
      out.write(bytes[5]);
      out.write(bytes, 6, bytes.length - 6);
      assertThat(out.getPos()).isEqualTo(bytes.length);
    }

    // Then the directories were made, and every form of the location reads the same bytes
    assertThat(dir.resolve("a/b/data.bin")).hasBinaryContent(bytes);
    for (String form : List.of(location, "file://" + dir.resolve("a/b/data.bin"), dir.resolve("a/b/data.bin").toString())) {
      InputFile in = io.newInputFile(form);
      assertThat(in.location()).isEqualTo(form);
      assertThat(in.getLength()).isEqualTo(bytes.length);
      try (SeekableInputStream stream = in.newStream()) {
        stream.seek(7);
        assertThat(new String(stream.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("lake");
      }
    }
  }

  @Test
  void createRefusesAnExistingFileAndCreateOrOverwriteReplacesIt() throws IOException {
    // Given a file that exists
    Path file = Files.writeString(dir.resolve("f"), "old");
    String location = "file:" + file;

    // Then create refuses it, and createOrOverwrite replaces its content
    assertThatThrownBy(() -> io.newOutputFile(location).create()).isInstanceOf(AlreadyExistsException.class)
        .hasMessageContaining(location);
    try (PositionOutputStream out = io.newOutputFile(location).createOrOverwrite()) {
      out.write("new!".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(file).hasContent("new!");
    assertThat(io.newOutputFile(location).toInputFile().getLength()).isEqualTo(4);
  }

  @Test
  void deletingAFileAlsoDeletesTheChecksumHadoopWroteBesideIt() throws IOException {
    // Given a file written by Hadoop's local file system, with its .crc sibling, and another file
    Path file = Files.writeString(dir.resolve("part.parquet"), "data");
    Path crc = Files.writeString(dir.resolve(".part.parquet.crc"), "crc");
    Path other = Files.writeString(dir.resolve("other.parquet"), "data");

    // When the file is deleted (and a missing one too)
    io.deleteFile("file:" + file);
    io.deleteFile("file:" + dir.resolve("missing.parquet"));

    // Then both are gone and nothing else is
    assertThat(file).doesNotExist();
    assertThat(crc).doesNotExist();
    assertThat(other).exists();
  }

  @Test
  void aLocalWarehouseGetsLocalFileIoUnlessTheSettingsNameAnother() {
    // Given the sink's settings for the local stack's catalog, with and without an explicit file IO
    Map<String, String> local = Map.of("catalog.warehouse", dir.toString());
    Map<String, String> chosen = Map.of("catalog.warehouse", dir.toString(),
        "catalog.io-impl", HadoopFileIO.class.getName());

    // Then the first uses LocalFileIO, the second keeps the one named
    assertThat(SinkConfig.from(Settings.of(local)).catalog().properties())
        .containsEntry(CatalogProperties.FILE_IO_IMPL, LocalFileIO.class.getName());
    assertThat(SinkConfig.from(Settings.of(chosen)).catalog().properties())
        .containsEntry(CatalogProperties.FILE_IO_IMPL, HadoopFileIO.class.getName());
  }

  @Test
  void aTableWrittenThroughLocalFileIoReadsTheSameThroughHadoop() throws Exception {
    // Given a table in a local warehouse, its rows committed through LocalFileIO
    Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()),
        Types.NestedField.optional(2, "text", Types.StringType.get()));
    TableIdentifier id = TableIdentifier.of("ns", "t");
    try (JdbcCatalog local = catalog(LocalFileIO.class.getName())) {
      ((SupportsNamespaces) local).createNamespace(Namespace.of("ns"));
      Table table = local.createTable(id, schema, PartitionSpec.unpartitioned());
      List<Record> rows = List.of(row(schema, 1, "one"), row(schema, 2, "two"));
      table.newAppend().appendFile(PartitionedRowWriter.writeAll(table, "op", rows, 1).get(0)).commit();
      assertThat(read(local, id)).containsExactly("1:one", "2:two");
    }

    // Then an engine on Hadoop's file system reads the same rows, though no .crc files were written
    try (JdbcCatalog hadoop = catalog(HadoopFileIO.class.getName())) {
      assertThat(read(hadoop, id)).containsExactly("1:one", "2:two");
    }
    try (var files = Files.walk(dir)) {
      assertThat(files.map(Path::toString).filter(p -> p.endsWith(".crc"))).isEmpty();
    }
  }

  private JdbcCatalog catalog(String ioImpl) {
    JdbcCatalog catalog = new JdbcCatalog();
    catalog.setConf(new Configuration(false));
    catalog.initialize("trajlake", Map.of(CatalogProperties.URI, "jdbc:sqlite:" + dir.resolve("catalog.db"),
        CatalogProperties.WAREHOUSE_LOCATION, dir.resolve("warehouse").toUri().toString(),
        CatalogProperties.FILE_IO_IMPL, ioImpl, "jdbc.schema-version", "V1"));
    return catalog;
  }

  private static Record row(Schema schema, long id, String text) {
    Record row = GenericRecord.create(schema);
    row.setField("id", id);
    row.setField("text", text);
    return row;
  }

  private static List<String> read(Catalog catalog, TableIdentifier id) throws IOException {
    try (CloseableIterable<Record> rows = IcebergGenerics.read(catalog.loadTable(id)).build()) {
      List<String> out = new java.util.ArrayList<>();
      rows.forEach(r -> out.add(r.getField("id") + ":" + r.getField("text")));
      out.sort(null);
      return out;
    }
  }
}
