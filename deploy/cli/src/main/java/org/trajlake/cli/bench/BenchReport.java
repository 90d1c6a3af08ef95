package org.trajlake.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes a benchmark's figures as JSON under {@code <data-dir>/reports/}, with the machine they came from. */
public final class BenchReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchReport() {}

  public static Path write(Path dataDir, String benchmark, String runId, Map<String, Object> parameters,
      List<BenchFigure> figures) throws IOException {
    ObjectNode report = JSON.createObjectNode();
    report.put("benchmark", benchmark);
    report.put("run", runId);
    report.put("finished", Instant.now().toString());
    report.set("parameters", JSON.valueToTree(parameters));
    report.set("machine", machine());
    ArrayNode rows = report.putArray("figures");
    for (BenchFigure figure : figures) {
      ObjectNode row = rows.addObject();
      row.put("stage", figure.stage());
      row.put("value", Math.round(figure.value() * 10) / 10.0);
      row.put("unit", figure.unit());
      row.put("note", figure.note());
    }
    Path file = dataDir.resolve("reports").resolve("bench-" + benchmark + "-" + runId + ".json");
    Files.createDirectories(file.getParent());
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), report);
    return file;
  }

  /**
   * Where the figures came from: cores, CPU model and vector extensions, a one-core reference score
   * ({@link MachineProbe#referenceScore}), memory, OS and JVM.
   */
  public static ObjectNode machine() {
    ObjectNode machine = JSON.createObjectNode();
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    MachineProbe.cpuModel().ifPresent(cpu -> machine.put("cpu", cpu));
    MachineProbe.vectorExtensions().ifPresent(flags -> machine.put("vector_extensions", flags));
    machine.put("reference_mdot_per_s", Math.round(MachineProbe.referenceScore() * 100) / 100.0);
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      machine.put("memory_gib", Math.round(os.getTotalMemorySize() / (1024.0 * 1024 * 1024)));
    }
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    machine.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
    return machine;
  }

  /** A machine ({@link #machine()}) on one line: "2 cores, AMD EPYC, avx2 fma, reference ..., 24 GiB, ...". */
  public static String describe(ObjectNode machine) {
    List<String> parts = new ArrayList<>();
    parts.add(machine.path("cores").asInt() + " cores");
    if (machine.hasNonNull("cpu")) {
      parts.add(machine.get("cpu").asText());
    }
    if (machine.hasNonNull("vector_extensions")) {
      parts.add(machine.get("vector_extensions").asText());
    }
    if (machine.hasNonNull("reference_mdot_per_s")) {
      parts.add(String.format("reference %.2f M dot products/s on one core", machine.get("reference_mdot_per_s").asDouble()));
    }
    if (machine.hasNonNull("memory_gib")) {
      parts.add(machine.get("memory_gib").asLong() + " GiB");
    }
    parts.add(machine.path("os").asText());
    parts.add(machine.path("java").asText());
    return String.join(", ", parts);
  }
}
