package dev.kpool.examples.supervision;

import dev.kpool.testkit.KafkaBrokerExtension;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the test class a {@link PoolFixture} serving pool {@link #value()} of fault workers on the
 * run's broker: in its static {@code PoolFixture} fields and parameters of that type, started
 * before its first test and stopped after its last.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith({KafkaBrokerExtension.class, PoolFixtureExtension.class})
@interface FaultWorkerPool {
  /** The pool's name, one per class, so that tasks one class leaves never reach another. */
  String value();

  /** Fault worker processes serving the pool. */
  int workers() default 2;

  /** Whether failed tasks run again: {@link PoolFixture#retryingFaultPool} rather than once. */
  boolean retrying() default false;
}
