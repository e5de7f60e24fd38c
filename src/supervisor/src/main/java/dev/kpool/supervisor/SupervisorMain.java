package dev.kpool.supervisor;

import dev.kpool.supervisor.config.SupervisorConfig;
import dev.kpool.supervisor.kafka.KafkaClientClasses;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * The supervisor's entry point. SIGTERM is the orchestrator's request for a graceful stop: the
 * pools drain and the process exits 0, so that a drained stop is not reported as a failure. A
 * second SIGTERM during the drain terminates: workers are killed and their tasks released.
 */
@QuarkusMain
public class SupervisorMain implements QuarkusApplication {
  private final SupervisorConfig config;

  SupervisorMain(SupervisorConfig config) {
    this.config = config;
  }

  public static void main(String... args) {
    // Quarkus's archive training run stops before any Kafka client exists; it must hold them too.
    if (ApplicationLifecycleManager.isAppCDSGeneration()) {
      KafkaClientClasses.load();
    }
    Quarkus.run(SupervisorMain.class, args);
  }

  @Override
  public int run(String... args) {
    AtomicBoolean stopping = new AtomicBoolean();
    Signal.handle(
        new Signal("TERM"),
        signal -> {
          if (stopping.compareAndSet(false, true)) {
            Quarkus.asyncExit(0);
          } else {
            Arc.container().instance(Supervisor.class).get().terminate();
          }
        });
    if (config.exitWithParent()) {
      exitWhenStdinCloses();
    }
    Quarkus.waitForExit();
    return 0;
  }

  /**
   * For a supervisor started by another program (the demo, the tests): drain and exit when the
   * parent goes away, which closes our stdin, as workers do with their supervisor.
   */
  private static void exitWhenStdinCloses() {
    Thread watcher =
        new Thread(
            () -> {
              try {
                while (System.in.read() >= 0) {
                  // nothing is expected on stdin; only its end matters
                }
              } catch (java.io.IOException e) {
                // a broken pipe is an end too
              }
              Quarkus.asyncExit(0);
            },
            "kpool-parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }
}
