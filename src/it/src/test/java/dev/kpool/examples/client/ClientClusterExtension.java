package dev.kpool.examples.client;

import dev.kpool.examples.ClassFixtureExtension;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Starts the {@link ClientCluster} a {@link ClusterPool} class asks for. */
final class ClientClusterExtension extends ClassFixtureExtension<ClientCluster> {
  ClientClusterExtension() {
    super(ClientCluster.class);
  }

  @Override
  protected ClientCluster start(ExtensionContext context, String bootstrap) throws Exception {
    ClusterPool pool = context.getRequiredTestClass().getAnnotation(ClusterPool.class);
    return ClientCluster.start(bootstrap, pool.value(), pool.workers());
  }
}
