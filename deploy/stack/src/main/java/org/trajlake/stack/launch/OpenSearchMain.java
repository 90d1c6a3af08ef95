package org.trajlake.stack.launch;

import java.lang.reflect.Constructor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * Starts an OpenSearch node with its modules and the k-NN plugin loaded from the classpath, the way
 * OpenSearch's own test clusters do, inside a Java 21+ JVM the launcher starts. Settings come from
 * {@code <home>/config/opensearch.yml}, which the launcher writes.
 *
 * <p>OpenSearch 3.x is compiled for Java 21 while this project targets Java 17, so its classes are
 * reached by reflection here rather than linked at compile time. The node's constructor that takes
 * classpath plugins is protected; it is the supported way to embed a node with plugins.
 *
 * <p>Usage: {@code OpenSearchMain <path.home>}.
 */
public final class OpenSearchMain {
  /**
   * Transport (HTTP and node-to-node), scripting, the analysis components every OpenSearch
   * distribution bundles (word_delimiter_graph, the language analyzers...), _reindex, vector search.
   */
  static final List<String> PLUGINS = List.of(
      "org.opensearch.transport.Netty4ModulePlugin",
      "org.opensearch.painless.PainlessModulePlugin",
      "org.opensearch.analysis.common.CommonAnalysisModulePlugin",
      "org.opensearch.index.reindex.ReindexModulePlugin",
      "org.opensearch.knn.plugin.KNNPlugin");

  private OpenSearchMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: OpenSearchMain <path.home>");
    }
    Path home = Path.of(args[0]).toAbsolutePath();
    Object environment = environment(home);
    Object node = newNode(environment, pluginInfos());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      close(node);
      stopped.countDown();
    }, "opensearch-shutdown"));
    node.getClass().getMethod("start").invoke(node);
    // As in OpenSearch's own bootstrap, a waiting non-daemon thread keeps the JVM up until a signal stops it.
    stopped.await();
  }

  private static Object environment(Path home) throws ReflectiveOperationException {
    Class<?> settingsClass = Class.forName("org.opensearch.common.settings.Settings");
    Object builder = settingsClass.getMethod("builder").invoke(null);
    builder.getClass().getMethod("put", String.class, String.class).invoke(builder, "path.home", home.toString());
    Object settings = builder.getClass().getMethod("build").invoke(builder);
    Supplier<String> defaultNodeName = () -> "trajlake-0";
    return Class.forName("org.opensearch.node.InternalSettingsPreparer")
        .getMethod("prepareEnvironment", settingsClass, Map.class, Path.class, Supplier.class)
        .invoke(null, settings, Map.of(), home.resolve("config"), defaultNodeName);
  }

  private static List<Object> pluginInfos() throws ReflectiveOperationException {
    Class<?> versionClass = Class.forName("org.opensearch.Version");
    Object current = versionClass.getField("CURRENT").get(null);
    Constructor<?> info = Class.forName("org.opensearch.plugins.PluginInfo").getConstructor(String.class,
        String.class, String.class, versionClass, String.class, String.class, String.class, List.class, boolean.class);
    List<Object> infos = new ArrayList<>();
    for (String className : PLUGINS) {
      infos.add(info.newInstance(className, "classpath plugin " + className, "NA", current,
          Integer.toString(Runtime.version().feature()), className, null, List.of(), false));
    }
    return infos;
  }

  private static Object newNode(Object environment, List<Object> plugins) throws ReflectiveOperationException {
    Class<?> nodeClass = Class.forName("org.opensearch.node.Node");
    Constructor<?> constructor = nodeClass.getDeclaredConstructor(
        Class.forName("org.opensearch.env.Environment"), Collection.class, boolean.class);
    constructor.setAccessible(true);
    return constructor.newInstance(environment, plugins, true);
  }

  private static void close(Object node) {
    try {
      node.getClass().getMethod("close").invoke(node);
    } catch (ReflectiveOperationException e) {
      System.err.println("OpenSearch node did not close cleanly: " + e.getCause());
    }
  }
}
