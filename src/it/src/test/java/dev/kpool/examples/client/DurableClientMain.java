package dev.kpool.examples.client;

import dev.kpool.client.AsyncResult;
import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A durable client in its own JVM, for {@link ReattachIT} to kill: submits tasks, makes sure they
 * are written, prints their ids and {@code READY}, then waits to be killed.
 *
 * <p>Arguments: bootstrap servers, pool, client id.
 */
public final class DurableClientMain {
  private DurableClientMain() {}

  public static void main(String[] args) throws IOException {
    Pool pool = Pool.builder().bootstrapServers(args[0]).pool(args[1]).clientId(args[2]).build();
    Task<Long, Long> sleep = Task.of("sleep", Long.class, Long.class);
    Task<Integer, Integer> square = Task.of("square", Integer.class, Integer.class);
    for (long nap : List.of(1_500L, 1_000L, 500L)) {
      AsyncResult<Long> handle = pool.applyAsync(sleep, nap);
      System.out.println("apply " + handle.taskId() + " " + nap);
    }
    AsyncResult<List<Integer>> map =
        pool.mapAsync(square, IntStream.range(0, 20).boxed().toList(), 6, null, null);
    System.out.println("map " + map.taskId());
    if (!pool.flush(Duration.ofSeconds(30))) {
      System.out.println("NOT WRITTEN");
      System.exit(2);
    }
    System.out.println("READY");
    System.out.flush();
    System.in.read(); // until the test kills this JVM
    System.exit(3);
  }
}
