package org.trajlake.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.trajlake.stack.Component;

/**
 * Runs a test class against real servers of the local stack. The servers start once per test JVM,
 * on free ports, under a fresh data dir in {@code target/}, and are shared by every test class of
 * that JVM; a later class that needs more servers starts only the missing ones. They stop when the
 * JVM's tests are done, and on their own if the JVM dies.
 *
 * <p>Test methods and lifecycle methods may take an {@link org.trajlake.stack.Endpoints} or a
 * {@link org.trajlake.stack.LocalStack} parameter.
 *
 * <pre>{@code
 * @RealServers({Component.KAFKA, Component.REGISTRY})
 * class RecorderIT {
 *   @Test
 *   void roundTrip(Endpoints servers) { ... servers.bootstrapServers() ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LocalStackExtension.class)
public @interface RealServers {
  /** The servers the tests need; all of them by default. */
  Component[] value() default {Component.KAFKA, Component.REGISTRY, Component.OPENSEARCH, Component.ICEBERG};
}
