package org.trajlake.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MachineProbeTest {
  @Test
  void stealIsTheStolenShareOfAllTicksBetweenTwoReadings() {
    // Given two readings of /proc/stat's cpu line, 1,000 ticks apart of which 150 were stolen
    MachineProbe.CpuTimes before = MachineProbe.CpuTimes.parse("cpu  1000 0 200 5000 10 0 5 100 0 0");
    MachineProbe.CpuTimes after = MachineProbe.CpuTimes.parse("cpu  1500 0 300 5200 10 0 55 250 40 0");

    // When the steal between them is taken
    double percent = after.stealPercentSince(before);

    // Then it is 15%, guest time not counted twice (it is already in user)
    assertThat(after.total() - before.total()).isEqualTo(1000);
    assertThat(percent).isCloseTo(15.0, within(1e-9));
  }

  @Test
  void aKernelWithoutAStealColumnReportsNone() {
    // Given an old kernel's cpu line, without steal
    MachineProbe.CpuTimes before = MachineProbe.CpuTimes.parse("cpu 100 0 10 500");
    MachineProbe.CpuTimes after = MachineProbe.CpuTimes.parse("cpu 200 0 20 900");

    // Then the steal is zero, not an error
    assertThat(after.stealPercentSince(before)).isZero();
    assertThat(before.stealPercentSince(before)).isZero();
  }

  @Test
  void thisMachineIsDescribedWithItsVectorExtensionsAndAReferenceScore() {
    // When this machine is probed (Linux, where the tests run)
    var machine = BenchReport.machine();

    // Then its vector extensions are named and the reference work ran at a plausible speed
    assertThat(machine.path("vector_extensions").asText()).isNotBlank();
    assertThat(machine.path("reference_mdot_per_s").asDouble()).isBetween(0.01, 1000.0);
    assertThat(BenchReport.describe(machine)).contains(machine.path("vector_extensions").asText())
        .contains("M dot products/s on one core");
    assertThat(MachineProbe.cpuTimes()).isPresent();
  }
}
