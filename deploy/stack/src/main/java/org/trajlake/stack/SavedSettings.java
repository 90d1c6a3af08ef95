package org.trajlake.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * The settings a data dir was last brought up with ({@code <data-dir>/stack.properties}), so that
 * {@code trajlake status} or {@code down} after {@code trajlake up --kafka-port 19092} look at the
 * right ports without repeating the flag. Flags and {@code TRAJLAKE_*} variables override them.
 */
final class SavedSettings {
  static final String FILE_NAME = "stack.properties";

  private SavedSettings() {}

  static Map<StackSetting, String> read(Path dataDir) {
    Map<StackSetting, String> saved = new EnumMap<>(StackSetting.class);
    Path file = dataDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return saved;
    }
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
    for (StackSetting setting : StackSetting.values()) {
      String value = props.getProperty(setting.key());
      if (value != null && setting != StackSetting.DATA_DIR) {
        saved.put(setting, value);
      }
    }
    return saved;
  }

  static void write(StackConfig config) throws IOException {
    Properties props = new Properties();
    for (StackSetting setting : StackSetting.values()) {
      if (setting != StackSetting.DATA_DIR) {
        props.setProperty(setting.key(), config.value(setting));
      }
    }
    Path file = config.dataDir().resolve(FILE_NAME);
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      props.store(writer, "Settings of the last `trajlake up` on this data dir; flags and TRAJLAKE_* variables override them.");
    }
  }
}
