package dev.kpool.supervisor.dispatch;

import java.io.IOException;

/**
 * Launches a worker for a slot and takes it to ready: spawned, hello answered, initializer run.
 * Production uses {@link WorkerStarter#start}, which spawns an OS process; tests script an
 * in-memory worker. Called on a slot's thread or on the pool's background executor; blocks until
 * the worker is ready or has failed.
 */
@FunctionalInterface
interface WorkerLauncher {
  /**
   * @param slotName the supervisor's name for the worker, e.g. {@code default-3}
   * @throws IOException if the worker cannot be started or does not become ready; nothing is left
   *     running
   */
  StartedWorker launch(PoolContext ctx, String slotName) throws IOException, InterruptedException;
}
