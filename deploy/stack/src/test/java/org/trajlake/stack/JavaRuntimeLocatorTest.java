package org.trajlake.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaRuntimeLocatorTest {
  @TempDir
  Path jvms;

  @Test
  void settingWinsWhenItIsAJava21OrNewer() throws IOException {
    // Given a Java 21 named by the setting and a newer one in a JVM folder
    Path java21 = fakeJavaHome("jdk-21", "21.0.5");
    fakeJavaHome("jdk-25", "25.0.1");

    // When a runtime is located
    JavaRuntime found = new JavaRuntimeLocator(Optional.of(java21), Map.of(), List.of(jvms)).locate();

    // Then the configured one is used
    assertThat(found.home()).isEqualTo(java21);
    assertThat(found.featureVersion()).isEqualTo(21);
  }

  @Test
  void settingOlderThan21IsRefusedNamingTheSetting() throws IOException {
    Path java17 = fakeJavaHome("jdk-17", "17.0.15");

    assertThatThrownBy(() -> new JavaRuntimeLocator(Optional.of(java17), Map.of(), List.of(jvms)).locate())
        .isInstanceOf(StackException.class)
        .hasMessageContaining("--server-java-home / TRAJLAKE_SERVER_JAVA_HOME")
        .hasMessageContaining("a Java 17");
  }

  @Test
  void javaHomeIsUsedWhenNewEnough() throws IOException {
    Path java22 = fakeJavaHome("jdk-22", "22");

    JavaRuntime found = new JavaRuntimeLocator(Optional.empty(), Map.of("JAVA_HOME", java22.toString()), List.of()).locate();

    assertThat(found.featureVersion()).isEqualTo(22);
  }

  @Test
  void newestRuntimeInTheJvmFoldersIsPickedWhenJavaHomeIsTooOld() throws IOException {
    // Given JAVA_HOME on 17 and a folder holding 17, 21 and 25
    Path java17 = fakeJavaHome("java-17-openjdk", "17.0.15");
    fakeJavaHome("temurin-21", "21.0.5");
    fakeJavaHome("temurin-25", "25.0.1");

    // When located, then the newest qualifying runtime wins
    JavaRuntime found = new JavaRuntimeLocator(Optional.empty(), Map.of("JAVA_HOME", java17.toString()),
        List.of(jvms)).locate();
    assertThat(found.featureVersion()).isEqualTo(25);
  }

  @Test
  void noQualifyingRuntimeExplainsWhatWasCheckedAndWhatToSet() throws IOException {
    // Given only Java 17 anywhere
    Path java17 = fakeJavaHome("java-17-openjdk", "17.0.15");

    // When located, then the error lists what was looked at and names the setting
    assertThatThrownBy(() -> new JavaRuntimeLocator(Optional.empty(), Map.of("JAVA_HOME", java17.toString()),
        List.of(jvms)).locate())
        .isInstanceOf(StackException.class)
        .hasMessageContaining("no Java 21+ runtime found")
        .hasMessageContaining("JAVA_HOME=" + java17 + " (Java 17)")
        .hasMessageContaining("TRAJLAKE_SERVER_JAVA_HOME");
  }

  @Test
  void legacyVersionStringsAreRead() {
    assertThat(JavaRuntime.featureOf("1.8.0_392")).isEqualTo(8);
    assertThat(JavaRuntime.featureOf("21.0.5+11")).isEqualTo(21);
    assertThat(JavaRuntime.featureOf("25")).isEqualTo(25);
  }

  private Path fakeJavaHome(String name, String version) throws IOException {
    Path home = jvms.resolve(name);
    Files.createDirectories(home.resolve("bin"));
    Files.writeString(home.resolve("bin/java"), "#!/bin/sh\n");
    Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
    return home;
  }
}
