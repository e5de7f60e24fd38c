package dev.kpool.examples.readme;

import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.worker.Worker;
import java.time.Duration;
import java.util.List;

/** The example in README.md, kept here so that it compiles. */
final class ReadmeExample {
  private ReadmeExample() {}

  static List<Integer> client(String bootstrapServers) {
    // --- README client ---
    Task<Integer, Integer> square = Task.of("square", Integer.class, Integer.class);

    try (Pool pool = Pool.builder().bootstrapServers(bootstrapServers).pool("default").build()) {
      int x = pool.apply(square, 7, Duration.ofSeconds(10)); // 49
      pool.applyAsync(square, 8, r -> System.out.println(r), Throwable::printStackTrace);
      List<Integer> all = pool.map(square, List.of(1, 2, 3, 4), 2, Duration.ofSeconds(30));
      // --- end ---
      return x == 49 ? all : List.of();
    }
  }

  // --- README worker ---
  public static void main(String[] args) {
    Worker.builder().task("square", Integer.class, x -> x * x).build().runAndExit();
  }
  // --- end ---
}
