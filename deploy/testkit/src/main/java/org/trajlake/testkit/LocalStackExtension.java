package org.trajlake.testkit;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.trajlake.stack.Component;
import org.trajlake.stack.Endpoints;
import org.trajlake.stack.LocalStack;

/** The extension behind {@link RealServers}. */
public final class LocalStackExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalStackExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    Set<Component> needed = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), RealServers.class)
        .map(servers -> servers.value().length == 0 ? EnumSet.noneOf(Component.class) : EnumSet.copyOf(List.of(servers.value())))
        .orElseGet(() -> EnumSet.copyOf(Component.all()));
    shared(context).ensure(needed);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Endpoints.class || type == LocalStack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    SharedStack shared = shared(context);
    return parameter.getParameter().getType() == Endpoints.class ? shared.stack().endpoints() : shared.stack();
  }

  /** One stack per test JVM: kept in the root context's store, which closes it when the run ends. */
  private static SharedStack shared(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(SharedStack.class, key -> SharedStack.create(), SharedStack.class);
  }
}
