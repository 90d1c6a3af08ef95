package org.trajlake.testkit;

import java.util.Set;
import org.trajlake.stack.Component;
import org.trajlake.stack.LocalStack;

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
    // Even a kill -9 of this JVM must not leave servers behind.
    return new SharedStack(new LocalStack(FreshStackConfig.builder("stack").stopWithParent(true).build()));
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
}
