package dev.kpool.supervisor.kafka;

import java.time.Duration;

/** A consumer thread that feeds a pool's processes from its task topic. */
public interface Lane {
  /** Starts the thread. */
  void start();

  /** Stops taking tasks; what is running settles first. Never blocks. */
  void stop();

  /** Waits up to {@code timeout} for the thread to end. */
  void await(Duration timeout) throws InterruptedException;
}
