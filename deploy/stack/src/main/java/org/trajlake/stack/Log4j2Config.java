package org.trajlake.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Log4j 2 configuration for the servers that log through it (Kafka, OpenSearch): INFO to stdout,
 * which the launcher appends to {@code <data-dir>/logs/<component>.log}. Without one, Kafka logs
 * nothing at all.
 */
final class Log4j2Config {
  private static final String XML = """
      <?xml version="1.0" encoding="UTF-8"?>
      <Configuration status="WARN">
        <Appenders>
          <Console name="stdout" target="SYSTEM_OUT">
            <PatternLayout pattern="[%d{ISO8601}] %-5p [%t] %c{1.} - %m%n"/>
          </Console>
        </Appenders>
        <Loggers>
          <Logger name="kafka.request.logger" level="WARN"/>
          <Logger name="org.apache.kafka.controller" level="INFO"/>
          <Logger name="state.change.logger" level="WARN"/>
          <Logger name="org.opensearch.deprecation" level="ERROR"/>
          <Root level="INFO">
            <AppenderRef ref="stdout"/>
          </Root>
        </Loggers>
      </Configuration>
      """;

  private Log4j2Config() {}

  static void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, XML, StandardCharsets.UTF_8);
  }
}
