package dev.kpool.worker;

import java.util.concurrent.CountDownLatch;

/** A worker process for {@link WorkerProcessTest}. */
public final class WorkerProcessMain {
  private WorkerProcessMain() {}

  public static void main(String[] args) {
    Worker.builder()
        .task("square", Integer.class, x -> x * x)
        .task(
            "noisy",
            String.class,
            s -> {
              System.out.println("printed by the task: " + s);
              return s;
            })
        .task(
            "hang",
            String.class,
            s -> {
              new CountDownLatch(1).await();
              return s;
            })
        .build()
        .runAndExit();
  }
}
