package dev.kpool.examples.guide;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.kpool.client.AsyncResult;
import dev.kpool.client.DetachedTask;
import dev.kpool.client.MapOptions;
import dev.kpool.client.Pool;
import dev.kpool.client.ResultIterator;
import dev.kpool.client.ResultTimeoutException;
import dev.kpool.client.Task;
import dev.kpool.client.TaskFailedException;
import dev.kpool.client.TaskTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * The code of docs/pool-guide.md, kept here so that it compiles. Each region between {@code // ---
 * guide: <name> ---} and {@code // --- end ---} is quoted in the guide verbatim; {@code
 * DocSnippetsTest} checks that they stay the same.
 */
final class PoolGuide {
  private PoolGuide() {}

  /** The argument and result of {@code mirror}, declared by the client: no class is shared. */
  record Point(int x, int y) {}

  /** The argument of {@code take}: a counter file to decrement, and a pause inside the update. */
  record Take(String counter, long millis) {}

  /** The result of {@code take}: the value it read, and when and where it ran. */
  record Taken(long seen, long start, long end, long pid) {}

  // --- guide: tasks ---
  static final Task<Integer, Integer> SQUARE = Task.of("square", Integer.class, Integer.class);
  static final Task<List<Integer>, Integer> ADD = Task.of("add", Integer.class);
  static final Task<Point, Point> MIRROR = Task.of("mirror", Point.class, Point.class);
  static final Task<String, List<String>> WORDS =
      Task.of("words", new TypeReference<List<String>>() {});
  static final Task<byte[], byte[]> REVERSE = Task.bytes("reverse");
  static final Task<Long, Long> SLEEP = Task.of("sleep", Long.class, Long.class);

  // --- end ---

  static Pool open(String bootstrapServers) {
    // --- guide: pool ---
    // Submissions past maxInFlight wait up to submitTimeout, then throw SubmitTimeoutException.
    // Past taskTimeout a task's worker process is killed: TaskTimeoutException.
    Pool pool =
        Pool.builder()
            .bootstrapServers(bootstrapServers)
            .pool("default")
            .maxInFlight(1_000)
            .submitTimeout(Duration.ofSeconds(30))
            .taskTimeout(Duration.ofMinutes(5))
            .build();
    // --- end ---
    return pool;
  }

  static void apply(Pool pool) {
    // --- guide: apply ---
    int y = pool.apply(SQUARE, 7, Duration.ofSeconds(10)); // 49
    // --- end ---
    // --- guide: apply-async ---
    AsyncResult<Integer> result =
        pool.applyAsync(
            SQUARE,
            7,
            r -> System.out.println("got " + r), // on the callback executor
            e -> System.err.println("failed: " + e)); // exactly one of the two runs, once
    result.await(Duration.ofSeconds(10)); // Python's wait(timeout)
    if (result.ready() && result.successful()) {
      int z = result.get(Duration.ZERO);
    }
    CompletableFuture<Integer> future = result.toCompletableFuture();
    // --- end ---
  }

  static void map(Pool pool) {
    // --- guide: map ---
    List<Integer> items = IntStream.range(0, 1_000).boxed().toList();
    List<Integer> squares = pool.map(SQUARE, items, 100, Duration.ofMinutes(1));

    AsyncResult<List<Integer>> all =
        pool.mapAsync(
            SQUARE,
            items,
            100,
            list -> System.out.println(list.size() + " squares"), // the whole ordered list
            Throwable::printStackTrace);
    // --- end ---
    // --- guide: starmap ---
    List<Integer> sums =
        pool.starmap(ADD, List.of(List.of(1, 2), List.of(3, 4)), 1, Duration.ofMinutes(1));
    AsyncResult<List<Integer>> later =
        pool.starmapAsync(ADD, List.of(List.of(5, 6)), 1, null, null);
    // --- end ---
  }

  static void imap(Pool pool) {
    // --- guide: imap ---
    Iterable<Integer> numbers = () -> IntStream.range(0, 1_000_000).boxed().iterator();
    MapOptions options = MapOptions.DEFAULT.withChunksize(1_000).withWindow(8);
    try (ResultIterator<Integer> it = pool.imap(SQUARE, numbers, options)) {
      while (it.hasNext()) {
        int square = it.next(); // waits up to options.itemTimeout()
      }
    }
    try (ResultIterator<Integer> it = pool.imapUnordered(SQUARE, List.of(3, 1, 2), 1)) {
      it.stream().forEach(System.out::println); // in completion order
    }
    // --- end ---
  }

  static void progress(Pool pool, List<Integer> items) {
    // --- guide: progress ---
    MapOptions withBar =
        MapOptions.DEFAULT
            .withChunksize(100)
            .withProgress((done, total) -> System.out.printf("\r%d/%d", done, total));
    List<Integer> squares = pool.map(SQUARE, items, withBar, Duration.ofMinutes(5));
    // --- end ---
  }

  static void typed(Pool pool) {
    // --- guide: typed ---
    Point p = pool.apply(MIRROR, new Point(1, 2), Duration.ofSeconds(10)); // Point[x=2, y=1]
    List<String> w = pool.apply(WORDS, "to be or not", Duration.ofSeconds(10)); // [to, be, or, not]
    byte[] b = pool.apply(REVERSE, new byte[] {1, 2, 3}, Duration.ofSeconds(10)); // {3, 2, 1}
    // --- end ---
  }

  static void errors(Pool pool) {
    // --- guide: errors ---
    try {
      pool.map(SQUARE, List.of(1, 2, 3), 1, Duration.ofSeconds(30));
    } catch (TaskFailedException e) { // the task raised where it ran
      System.err.println(e.remoteType() + ": " + e.remoteMessage() + " at item " + e.itemIndex());
      System.err.println(e.remoteStack());
    } catch (TaskTimeoutException e) { // the task passed its deadline; its worker was killed
      System.err.println("too slow: " + e.taskId());
    } catch (ResultTimeoutException e) { // only our wait ran out; the task goes on
      System.err.println("still running");
    } catch (CancellationException e) { // the pool was terminated
      System.err.println("cancelled");
    }
    // --- end ---
  }

  static void bundles(String bootstrapServers) {
    // --- guide: bundle ---
    // Up to 100 small tasks of one Task share a record: sent when full, or 2 ms after the first.
    AtomicLong done = new AtomicLong();
    try (Pool pool =
        Pool.builder()
            .bootstrapServers(bootstrapServers)
            .bundle(100, Duration.ofMillis(2))
            .build()) {
      for (int i = 0; i < 100_000; i++) {
        pool.applyAsync(SQUARE, i, square -> done.incrementAndGet(), Throwable::printStackTrace);
      }
      pool.join(Duration.ofMinutes(5)); // each task was replied, retried and called back alone
    }
    // --- end ---
  }

  static void keys(Pool pool, String counter, String otherCounter) {
    // --- guide: keys ---
    // Each take has its counter as its key: on a pool with key-concurrency=1 the takes of one
    // counter run one at a time, whichever workers and supervisors run them.
    Task<Take, Taken> take = Task.of("take", Take.class, Taken.class).keyedBy(Take::counter);
    for (int i = 0; i < 10; i++) {
      pool.applyAsync(take, new Take(counter, 100));
    }
    pool.join(Duration.ofMinutes(1)); // the counter went from 10 to exactly 0
    // --- end ---
    // --- guide: keys-map ---
    // A keyed map sends each item as a record of its own (chunksize 1), keyed by its own key:
    // the two takes of one counter run in turn, beside the take of the other.
    List<Take> takes =
        List.of(new Take(counter, 100), new Take(otherCounter, 100), new Take(counter, 100));
    List<Taken> taken = pool.map(take, takes, 1, Duration.ofMinutes(1));
    // One key for every submission, when the argument does not name it:
    Taken one = pool.apply(take.withKey(counter), new Take(counter, 100), Duration.ofMinutes(1));
    // --- end ---
  }

  static void lifecycle(String bootstrapServers) {
    // --- guide: lifecycle ---
    try (Pool pool = Pool.builder().bootstrapServers(bootstrapServers).build()) {
      pool.applyAsync(SLEEP, 1_000L);
      pool.join(Duration.ofSeconds(30)); // every result in, every callback run; still open
      pool.applyAsync(SLEEP, 60_000L);
      pool.terminate(); // cancels the sleep: its worker process is stopped
    } // close(): drain (nothing left here), then release
    // --- end ---
  }

  static void durable(String bootstrapServers) {
    // --- guide: durable ---
    try (Pool pool =
        Pool.builder().bootstrapServers(bootstrapServers).clientId("nightly-report").build()) {
      // what an earlier run submitted and never received: it crashed, or close() stopped waiting
      for (DetachedTask earlier : pool.detachedTasks()) {
        if (!earlier.task().equals(SQUARE.name())) {
          pool.discard(earlier.id());
        } else if (earlier.kind() == DetachedTask.Kind.MAP) {
          List<Integer> squares = pool.attachMap(SQUARE, earlier.id()).get(Duration.ofMinutes(5));
        } else {
          int square = pool.attach(SQUARE, earlier.id()).get(Duration.ofMinutes(5));
        }
      }
      AsyncResult<List<Integer>> tonight = pool.mapAsync(SQUARE, List.of(1, 2, 3), 1, null, null);
      pool.flush(Duration.ofSeconds(10)); // written to Kafka: survives this process from here on
    }
    // --- end ---
  }
}
