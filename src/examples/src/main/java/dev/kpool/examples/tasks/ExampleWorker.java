package dev.kpool.examples.tasks;

import dev.kpool.worker.NonRetryableTaskException;
import dev.kpool.worker.Worker;
import java.util.List;

/**
 * The worker process of the examples, the demo and the end-to-end tests: the {@code square} of
 * Python's Pool documentation and a few tasks that show failures and timeouts.
 */
public final class ExampleWorker {
  private ExampleWorker() {}

  /** The registered tasks; also used in-process by tests. */
  public static Worker worker() {
    return Worker.builder()
        .task("square", Integer.class, x -> x * x)
        .task("add", List.class, pair -> ((Number) pair.get(0)).intValue() + ((Number) pair.get(1)).intValue())
        .task("pid", Integer.class, ignored -> ProcessHandle.current().pid())
        .task("sleep", Long.class, millis -> {
          Thread.sleep(millis);
          return millis;
        })
        .task("fail", String.class, message -> {
          throw new NonRetryableTaskException(new IllegalArgumentException(message));
        })
        .build();
  }

  public static void main(String[] args) {
    worker().runAndExit();
  }
}
