package dev.kpool.supervisor;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import sun.misc.Signal;

/**
 * The supervisor's entry point. SIGTERM is the orchestrator's request for a graceful stop: the
 * pools drain and the process exits 0, so that a drained stop is not reported as a failure.
 */
@QuarkusMain
public class SupervisorMain implements QuarkusApplication {

  public static void main(String... args) {
    Quarkus.run(SupervisorMain.class, args);
  }

  @Override
  public int run(String... args) {
    Signal.handle(new Signal("TERM"), signal -> Quarkus.asyncExit(0));
    Quarkus.waitForExit();
    return 0;
  }
}
