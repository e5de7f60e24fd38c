package dev.kpool.examples.supervision;

import dev.kpool.examples.ClassFixtureExtension;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Starts the {@link PoolFixture} a {@link FaultWorkerPool} class asks for. */
final class PoolFixtureExtension extends ClassFixtureExtension<PoolFixture> {
  PoolFixtureExtension() {
    super(PoolFixture.class);
  }

  @Override
  protected PoolFixture start(ExtensionContext context, String bootstrap) throws Exception {
    FaultWorkerPool pool = context.getRequiredTestClass().getAnnotation(FaultWorkerPool.class);
    Map<String, String> props =
        pool.retrying()
            ? PoolFixture.retryingFaultPool(bootstrap, pool.value(), pool.workers())
            : PoolFixture.faultPool(bootstrap, pool.value(), pool.workers());
    return PoolFixture.start(bootstrap, pool.value(), props);
  }
}
