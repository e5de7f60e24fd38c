package dev.kpool.supervisor.process;

import java.io.IOException;

/** The worker process ended, or broke the protocol so that it must be treated as ended. */
public class WorkerExitedException extends IOException {
  public WorkerExitedException(String message) {
    super(message);
  }
}
