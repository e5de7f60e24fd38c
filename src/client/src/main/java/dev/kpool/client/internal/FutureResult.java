package dev.kpool.client.internal;

import dev.kpool.client.AsyncResult;
import dev.kpool.client.KpoolException;
import dev.kpool.client.ResultTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * An {@link AsyncResult} over a {@link CompletableFuture} that only kpool completes (from the reply
 * listener, or locally on close and terminate). User code never runs on the completing thread: it
 * is handed to {@link Callbacks}.
 */
final class FutureResult<R> implements AsyncResult<R> {
  private final String taskId;
  private final Callbacks callbacks;
  private final CompletableFuture<R> outcome = new CompletableFuture<>();
  private CompletableFuture<R> view;
  private volatile long workerPid;

  FutureResult(String taskId, Callbacks callbacks) {
    this.taskId = taskId;
    this.callbacks = callbacks;
  }

  private static <T> void settle(CompletableFuture<T> future, T value, Throwable error) {
    if (error == null) {
      future.complete(value);
    } else {
      future.completeExceptionally(error);
    }
  }

  /** Completes with a result; returns false if the outcome was already known. */
  boolean complete(R value, long pid) {
    if (outcome.isDone()) {
      return false;
    }
    workerPid = pid;
    return outcome.complete(value);
  }

  /** Completes with a failure; returns false if the outcome was already known. */
  boolean fail(Throwable error) {
    return outcome.completeExceptionally(error);
  }

  /** Records the worker of a partial result, e.g. a map chunk. */
  void workerPid(long pid) {
    this.workerPid = pid;
  }

  /** Runs exactly one of the two on the callback executor once the outcome is known. */
  void notify(Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
    if (callback == null && errorCallback == null) {
      return;
    }
    outcome.whenComplete(
        (r, e) ->
            callbacks.run(
                () -> {
                  if (e == null) {
                    if (callback != null) {
                      callback.accept(r);
                    }
                  } else if (errorCallback != null) {
                    errorCallback.accept(unwrap(e));
                  }
                }));
  }

  /**
   * Runs kpool's own bookkeeping on the completing thread with the failure, or {@code null} on
   * success; {@code action} must not block.
   */
  void whenDone(Consumer<Throwable> action) {
    outcome.whenComplete((r, e) -> action.accept(e == null ? null : unwrap(e)));
  }

  @Override
  public String taskId() {
    return taskId;
  }

  @Override
  public R get(Duration timeout) {
    try {
      return outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new ResultTimeoutException("no result for task " + taskId + " within " + timeout);
    } catch (ExecutionException e) {
      Throwable cause = unwrap(e.getCause());
      if (cause instanceof KpoolException k) {
        throw k;
      }
      if (cause instanceof CancellationException c) {
        throw c;
      }
      throw new KpoolException("task " + taskId + " failed: " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KpoolException("interrupted while waiting for task " + taskId, e);
    }
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  @Override
  public long workerPid() {
    return workerPid;
  }

  @Override
  public boolean ready() {
    return outcome.isDone();
  }

  @Override
  public boolean successful() {
    if (!outcome.isDone()) {
      throw new IllegalStateException("task " + taskId + " is not ready");
    }
    return !outcome.isCompletedExceptionally();
  }

  @Override
  public boolean await(Duration timeout) {
    try {
      outcome.handle((r, e) -> null).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return outcome.isDone();
    }
  }

  @Override
  public CompletableFuture<R> toCompletableFuture() {
    synchronized (this) {
      if (view == null) {
        CompletableFuture<R> created = new CompletableFuture<>();
        outcome.whenComplete((r, e) -> callbacks.run(() -> settle(created, r, e)));
        view = created;
      }
      return view.copy();
    }
  }

  @Override
  public String toString() {
    return "AsyncResult[" + taskId + (ready() ? ", ready]" : "]");
  }
}
