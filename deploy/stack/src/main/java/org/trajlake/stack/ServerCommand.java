package org.trajlake.stack;

import java.nio.file.Path;
import java.util.List;

/**
 * How to start one server JVM. Classpath entries may end in {@code /*} (every jar of a folder, as
 * the java launcher expands it), which keeps command lines short.
 */
record ServerCommand(JavaRuntime java, List<String> jvmArgs, List<String> classpath, String mainClass,
    List<String> args, Path workingDir) {

  ServerCommand {
    jvmArgs = List.copyOf(jvmArgs);
    classpath = List.copyOf(classpath);
    args = List.copyOf(args);
  }

  static String allJarsIn(Path folder) {
    return folder.toString() + "/*";
  }
}
