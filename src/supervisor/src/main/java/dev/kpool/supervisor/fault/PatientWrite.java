package dev.kpool.supervisor.fault;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

/**
 * Writes an outcome (a reply, a dead letter) again while it fails with a transient Kafka error,
 * with a backoff from {@link #FIRST_BACKOFF} doubling to {@link #MAX_BACKOFF}, for at most {@link
 * #PATIENCE} after the first failure. A broker restart fails the writes of the tasks that finish
 * while it is away; given up at once, each of those tasks would be released and run again, though
 * its outcome only had to wait for the broker. The record's lock is renewed meanwhile, since its
 * task is not settled.
 *
 * <p>Transient is a {@link RetriableException} other than {@link UnknownTopicOrPartitionException}
 * (a reply-to topic that does not exist will not appear by waiting). Any other failure, or a
 * transient one past the patience, fails the write as it came. Thread-safe.
 */
final class PatientWrite {
  private static final Logger LOG = Logger.getLogger(PatientWrite.class);

  static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  static final Duration PATIENCE = Duration.ofMinutes(2);

  /** Runs an action after a delay, on a thread that may block (a write may wait on metadata). */
  @FunctionalInterface
  interface Scheduler {
    void after(Duration delay, Runnable action);
  }

  // A send can block for the producer's max.block.ms; a thread each keeps one slow write from
  // delaying the others. Daemon threads, idle ones end after a minute.
  private static final ExecutorService RETRY_THREADS =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "kpool-patient-write");
            thread.setDaemon(true);
            return thread;
          });

  private final String pool;
  private final LongSupplier nanoClock;
  private final Scheduler scheduler;

  /** On the system clock, retrying on daemon threads. */
  PatientWrite(String pool) {
    this(
        pool,
        System::nanoTime,
        (delay, action) ->
            CompletableFuture.delayedExecutor(
                    delay.toMillis(), TimeUnit.MILLISECONDS, RETRY_THREADS)
                .execute(action));
  }

  /** @param nanoClock the time in nanoseconds, as {@link System#nanoTime()} */
  PatientWrite(String pool, LongSupplier nanoClock, Scheduler scheduler) {
    this.pool = pool;
    this.nanoClock = nanoClock;
    this.scheduler = scheduler;
  }

  /**
   * Calls {@code write} until its future completes normally, fails with an error that is not
   * transient, or fails after the patience has run out; completes as that last call did.
   *
   * @param what names the write in the log, e.g. {@code reply to task <id>}
   */
  <T> CompletableFuture<T> write(String what, Supplier<CompletableFuture<T>> write) {
    CompletableFuture<T> result = new CompletableFuture<>();
    attempt(what, write, result, 1, 0L);
    return result;
  }

  /** @param deadline when to stop retrying, in nanoClock time; unset (0) before the first failure */
  private <T> void attempt(
      String what,
      Supplier<CompletableFuture<T>> write,
      CompletableFuture<T> result,
      int tries,
      long deadline) {
    CompletableFuture<T> written;
    try {
      written = write.get();
    } catch (RuntimeException e) {
      written = CompletableFuture.failedFuture(e);
    }
    written.whenComplete(
        (value, e) -> {
          if (e == null) {
            if (tries > 1) {
              LOG.infof("pool %s: %s written at try %d", pool, what, tries);
            }
            result.complete(value);
            return;
          }
          Throwable cause =
              e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          long now = nanoClock.getAsLong();
          long until = tries == 1 ? now + PATIENCE.toNanos() : deadline;
          Duration backoff = backoff(tries);
          if (!isTransient(cause) || now + backoff.toNanos() - until > 0) {
            if (tries > 1) {
              LOG.warnf(
                  "pool %s: %s still failing after %d tries; giving up: %s",
                  pool, what, tries, cause.toString());
            }
            result.completeExceptionally(cause);
            return;
          }
          if (tries == 1) {
            LOG.warnf(
                "pool %s: %s failed (%s); trying again for up to %d s",
                pool, what, cause.toString(), PATIENCE.toSeconds());
          }
          scheduler.after(backoff, () -> attempt(what, write, result, tries + 1, until));
        });
  }

  /** The wait after try {@code tries}: the first backoff, doubled per try, at most the maximum. */
  static Duration backoff(int tries) {
    Duration backoff = FIRST_BACKOFF;
    for (int i = 1; i < tries && backoff.compareTo(MAX_BACKOFF) < 0; i++) {
      backoff = backoff.multipliedBy(2);
    }
    return backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
  }

  /** Whether waiting may help: Kafka unreachable or slow, but not a topic that does not exist. */
  static boolean isTransient(Throwable cause) {
    return cause instanceof RetriableException
        && !(cause instanceof UnknownTopicOrPartitionException);
  }
}
