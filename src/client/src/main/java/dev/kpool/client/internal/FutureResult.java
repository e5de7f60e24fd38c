package dev.kpool.client.internal;

import dev.kpool.client.AsyncResult;
import dev.kpool.client.KpoolException;
import dev.kpool.client.TaskTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** An {@link AsyncResult} over a {@link CompletableFuture} that the reply listener completes. */
final class FutureResult<R> implements AsyncResult<R> {
  private final String taskId;
  private final CompletableFuture<R> future;
  private volatile long workerPid;

  FutureResult(String taskId, CompletableFuture<R> future) {
    this.taskId = taskId;
    this.future = future;
  }

  @Override
  public String taskId() {
    return taskId;
  }

  @Override
  public R get(Duration timeout) {
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new TaskTimeoutException("no result for task " + taskId + " within " + timeout);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof KpoolException k) {
        throw k;
      }
      if (e.getCause() instanceof CancellationException c) {
        throw c;
      }
      throw new KpoolException("task " + taskId + " failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KpoolException("interrupted while waiting for task " + taskId, e);
    }
  }

  /** Records the worker of a reply; called before the future completes. */
  void workerPid(long pid) {
    this.workerPid = pid;
  }

  @Override
  public long workerPid() {
    return workerPid;
  }

  @Override
  public boolean ready() {
    return future.isDone();
  }

  @Override
  public boolean successful() {
    if (!future.isDone()) {
      throw new IllegalStateException("task " + taskId + " is not ready");
    }
    return !future.isCompletedExceptionally();
  }

  @Override
  public boolean await(Duration timeout) {
    try {
      future.handle((r, e) -> null).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return future.isDone();
    }
  }

  @Override
  public CompletableFuture<R> toCompletableFuture() {
    return future.copy();
  }
}
