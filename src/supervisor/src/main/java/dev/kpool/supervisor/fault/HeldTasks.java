package dev.kpool.supervisor.fault;

import dev.kpool.supervisor.fault.TaskSettler.Verdict;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The tasks this supervisor holds, from the start of their run until their verdict, so that a
 * second delivery of a task already running here joins that run instead of starting another.
 *
 * <p>A broker that restarts forgets which records it had handed out, and gives a record whose task
 * still runs in this supervisor to another of its share consumers (or to the same one, rebuilt);
 * without this map the task would run once per delivery. A joined delivery gets the verdict of the
 * run it joined, whatever it is: ACCEPT or REJECT once the outcome is written, RELEASE when the
 * record should run again, so both deliveries go back together.
 *
 * <p>Keys are {@link SettledTasks#key}s. Holds only the tasks in flight, so it is bounded by the
 * pool's in-flight count. Thread-safe: a task leaves the map before its verdict completes, so a
 * delivery that comes after the verdict finds it settled (or runs it anew), never a stale run.
 */
final class HeldTasks {
  private final Map<String, CompletableFuture<Verdict>> running = new HashMap<>();

  /** What {@link #run} did with a delivery. */
  enum Start {
    /** No run of the task was held: this delivery started one. */
    STARTED,
    /** A run of the task was held: this delivery joined it. */
    JOINED
  }

  /** A delivery's verdict, and whether it started a run or joined one. */
  record Held(Start start, CompletableFuture<Verdict> verdict) {}

  /**
   * Starts {@code run} for the task under {@code key}, unless a run of it is held already, in
   * which case this delivery joins it. {@code run} is called at most once, on the calling thread,
   * outside this map's lock. The verdict completes on the thread that completes {@code run}'s,
   * after the task has left the map; it completes exceptionally if {@code run} throws or fails.
   */
  Held run(String key, Supplier<CompletableFuture<Verdict>> run) {
    CompletableFuture<Verdict> verdict;
    synchronized (this) {
      CompletableFuture<Verdict> held = running.get(key);
      if (held != null) {
        return new Held(Start.JOINED, held.thenApply(v -> v));
      }
      verdict = new CompletableFuture<>();
      running.put(key, verdict);
    }
    CompletableFuture<Verdict> started;
    try {
      started = run.get();
    } catch (RuntimeException e) {
      started = CompletableFuture.failedFuture(e);
    }
    started.whenComplete(
        (v, e) -> {
          synchronized (this) {
            running.remove(key, verdict);
          }
          if (e == null) {
            verdict.complete(v);
          } else {
            verdict.completeExceptionally(e);
          }
        });
    return new Held(Start.STARTED, verdict.thenApply(v -> v));
  }

  /** How many tasks are held now. */
  synchronized int size() {
    return running.size();
  }
}
