package dev.kpool.testkit;

import dev.kpool.devbroker.BrokerStartException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Gives tests one {@link KafkaTestBroker} shared by the whole test run (one JVM): as a parameter of
 * type {@code KafkaTestBroker} of test, lifecycle or constructor methods, and in static or instance
 * fields of that type that are not final and still null.
 *
 * <p>The broker is started on first use, chosen by {@value KafkaTestBroker#SELECTION_PROPERTY}
 * (JUnit configuration parameter or system property), kept in the root store and closed when the
 * run ends. A test that stops the broker should restart it; if it does not, the next injection
 * restarts it. Thread-safe under parallel execution; the first injection blocks while the broker
 * starts and fails the test with {@link BrokerStartException} if it cannot.
 *
 * <pre>{@code
 * @ExtendWith(KafkaBrokerExtension.class)
 * class RoundTripIT {
 *   @Test
 *   void deliversRecords(KafkaTestBroker broker) { ... broker.bootstrapServers() ... }
 * }
 * }</pre>
 */
public final class KafkaBrokerExtension
    implements BeforeAllCallback, TestInstancePostProcessor, ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(KafkaBrokerExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) throws IllegalAccessException {
    inject(context, context.getRequiredTestClass(), null, field -> isStatic(field));
  }

  @Override
  public void postProcessTestInstance(Object testInstance, ExtensionContext context)
      throws IllegalAccessException {
    inject(context, testInstance.getClass(), testInstance, field -> !isStatic(field));
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaTestBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return broker(context);
  }

  /**
   * Returns the run's broker, starting it on first use and restarting it if a test stopped it: for
   * other extensions that start fixtures on it. Blocks while the broker starts.
   *
   * @throws BrokerStartException if the broker does not come up
   */
  public static KafkaTestBroker broker(ExtensionContext context) {
    KafkaTestBroker broker =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .computeIfAbsent(
                KafkaTestBroker.class,
                key ->
                    KafkaTestBroker.start(
                        context
                            .getConfigurationParameter(KafkaTestBroker.SELECTION_PROPERTY)
                            .orElse(null)),
                KafkaTestBroker.class);
    if (!broker.isRunning() && broker.supportsRestart()) {
      broker.restart();
    }
    return broker;
  }

  private static void inject(
      ExtensionContext context, Class<?> type, Object target, Predicate<Field> which)
      throws IllegalAccessException {
    Predicate<Field> eligible =
        field ->
            field.getType() == KafkaTestBroker.class
                && !Modifier.isFinal(field.getModifiers())
                && which.test(field);
    for (Field field :
        ReflectionSupport.findFields(type, eligible, HierarchyTraversalMode.TOP_DOWN)) {
      field.setAccessible(true);
      if (field.get(target) == null) {
        field.set(target, broker(context));
      }
    }
  }

  private static boolean isStatic(Field field) {
    return Modifier.isStatic(field.getModifiers());
  }
}
