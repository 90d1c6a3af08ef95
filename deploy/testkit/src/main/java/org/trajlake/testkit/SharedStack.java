package org.trajlake.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.trajlake.stack.Component;
import org.trajlake.stack.LocalStack;
import org.trajlake.stack.StackConfig;
import org.trajlake.stack.StackSetting;

/**
 * The servers of one test JVM. Its data dir stays in {@code target/trajlake-it/} after the run, so
 * the server logs of a failed run can be read; {@code mvn clean} removes it.
 */
final class SharedStack implements AutoCloseable {
  private final LocalStack stack;

  private SharedStack(LocalStack stack) {
    this.stack = stack;
  }

  static SharedStack create() {
    try {
      Path parent = Path.of("target", "trajlake-it").toAbsolutePath();
      Files.createDirectories(parent);
      Path dataDir = Files.createTempDirectory(parent, "stack-");
      StackConfig.Builder config = StackConfig.builder()
          .environment(System.getenv())
          .dataDir(dataDir)
          // Even a kill -9 of this JVM must not leave servers behind.
          .stopWithParent(true);
      List<Integer> ports = freePorts(portSettings().size());
      for (int i = 0; i < ports.size(); i++) {
        config.port(portSettings().get(i), ports.get(i));
      }
      return new SharedStack(new LocalStack(config.build()));
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a data dir for the test servers", e);
    }
  }

  LocalStack stack() {
    return stack;
  }

  synchronized void ensure(Set<Component> components) {
    if (!components.isEmpty()) {
      stack.up(components);
    }
  }

  @Override
  public void close() {
    stack.down();
  }

  private static List<StackSetting> portSettings() {
    List<StackSetting> ports = new ArrayList<>();
    for (StackSetting setting : StackSetting.values()) {
      if (setting.isPort()) {
        ports.add(setting);
      }
    }
    return ports;
  }

  /** Ports the OS picked, all held open at once so no two are the same. */
  private static List<Integer> freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0);
        sockets.add(socket);
        ports.add(socket.getLocalPort());
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }
}
