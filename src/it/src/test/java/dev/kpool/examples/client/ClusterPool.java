package dev.kpool.examples.client;

import dev.kpool.testkit.KafkaBrokerExtension;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the test class a {@link ClientCluster} serving pool {@link #value()} on the run's broker:
 * in its static {@code ClientCluster} fields and parameters of that type, started before its first
 * test and stopped after its last.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith({KafkaBrokerExtension.class, ClientClusterExtension.class})
@interface ClusterPool {
  /** The pool's name, one per class, so that tasks one class leaves never reach another. */
  String value();

  /** Example worker processes serving the pool. */
  int workers() default 2;
}
