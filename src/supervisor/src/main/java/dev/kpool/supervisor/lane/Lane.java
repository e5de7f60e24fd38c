package dev.kpool.supervisor.lane;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A consumer thread that feeds a pool's processes from its task topic. */
public interface Lane {
  /** Starts the thread. */
  void start();

  /** Stops taking tasks; what is running settles first. Never blocks. */
  void stop();

  /**
   * Completes once the lane can be handed a task without first joining its group; a lane that
   * joins nothing the first task waits for is joined from the start.
   */
  default CompletableFuture<Void> joined() {
    return CompletableFuture.completedFuture(null);
  }

  /** Waits up to {@code timeout} for the thread to end. */
  void await(Duration timeout) throws InterruptedException;
}
