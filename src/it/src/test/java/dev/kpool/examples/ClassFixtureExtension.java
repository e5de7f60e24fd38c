package dev.kpool.examples;

import dev.kpool.testkit.KafkaBrokerExtension;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * One fixture of type {@code T} (a supervisor serving a pool, and what tests ask of it) per test
 * class, on the run's broker: started before the class's first test, given to its static fields of
 * type {@code T} that are still null and to parameters of that type, and closed after its last
 * test. It lives in the class's store rather than the root one, so that a run holds only as many
 * supervisors as it runs classes at once. Register it after {@link KafkaBrokerExtension}.
 *
 * @param <T> the fixture; closed by JUnit when the class's store closes
 */
public abstract class ClassFixtureExtension<T extends AutoCloseable>
    implements BeforeAllCallback, ParameterResolver {
  private final Class<T> type;

  protected ClassFixtureExtension(Class<T> type) {
    this.type = type;
  }

  /**
   * Starts the fixture of the test class {@code context} runs.
   *
   * @param bootstrap the run's broker
   */
  protected abstract T start(ExtensionContext context, String bootstrap) throws Exception;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    T fixture = fixture(context);
    for (Field field :
        ReflectionSupport.findFields(
            context.getRequiredTestClass(),
            field ->
                field.getType() == type
                    && Modifier.isStatic(field.getModifiers())
                    && !Modifier.isFinal(field.getModifiers()),
            HierarchyTraversalMode.TOP_DOWN)) {
      field.setAccessible(true);
      if (field.get(null) == null) {
        field.set(null, fixture);
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == type;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return fixture(context);
  }

  private T fixture(ExtensionContext context) {
    // A method's store asks its class's store, where beforeAll put the fixture.
    return context
        .getStore(Namespace.create(getClass(), context.getRequiredTestClass()))
        .computeIfAbsent(
            type,
            key -> {
              try {
                return start(context, KafkaBrokerExtension.broker(context).bootstrapServers());
              } catch (Exception e) {
                throw new IllegalStateException(
                    "could not start the fixture of " + context.getRequiredTestClass(), e);
              }
            },
            type);
  }
}
