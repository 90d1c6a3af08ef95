package org.trajlake.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.trajlake.stack.StackConfig;
import org.trajlake.stack.StackSetting;

/**
 * Settings for a stack of a test's own, beside the shared one of {@link RealServers}: every port a
 * free one, the data dir a new folder under {@code target/trajlake-it/}. For tests of the launcher
 * and the command themselves.
 */
public final class FreshStackConfig {
  private FreshStackConfig() {}

  /** A builder with free ports and a new data dir whose name starts with {@code name}. */
  public static StackConfig.Builder builder(String name) {
    try {
      Path parent = Files.createDirectories(Path.of("target", "trajlake-it").toAbsolutePath());
      StackConfig.Builder config = StackConfig.builder()
          .environment(System.getenv())
          .dataDir(Files.createTempDirectory(parent, name + "-"));
      List<StackSetting> ports = new ArrayList<>();
      for (StackSetting setting : StackSetting.values()) {
        if (setting.isPort()) {
          ports.add(setting);
        }
      }
      List<Integer> free = freePorts(ports.size());
      for (int i = 0; i < ports.size(); i++) {
        config.port(ports.get(i), free.get(i));
      }
      return config;
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a data dir for a test stack", e);
    }
  }

  /** The command-line flags that give {@code trajlake} the same data dir and ports. */
  public static List<String> flags(StackConfig config) {
    List<String> flags = new ArrayList<>();
    flags.add(StackSetting.DATA_DIR.flag() + "=" + config.dataDir());
    for (StackSetting setting : StackSetting.values()) {
      if (setting.isPort()) {
        flags.add(setting.flag() + "=" + config.port(setting));
      }
    }
    return flags;
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
