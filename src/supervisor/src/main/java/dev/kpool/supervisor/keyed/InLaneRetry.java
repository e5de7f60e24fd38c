package dev.kpool.supervisor.keyed;

import dev.kpool.supervisor.fault.RetryRoute;
import dev.kpool.supervisor.fault.TaskSettler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A keyed pool's retry: the verdict RELEASE is given only after the backoff, and the lane then
 * runs the record again in place (attempt + 1). Meanwhile the task keeps its key's slot and its
 * partition's offset stays uncommitted, so no later task of the key overtakes it, yet it holds no
 * worker and no thread (a timer completes it). A retry not yet due when its partition moves away is
 * left uncommitted and runs at its new owner, which counts attempts from the record again.
 */
public final class InLaneRetry implements RetryRoute {
  @Override
  public CompletableFuture<TaskSettler.Verdict> retry(
      ConsumerRecord<String, byte[]> record, int nextAttempt, Duration delay) {
    return CompletableFuture.supplyAsync(
        () -> TaskSettler.Verdict.RELEASE,
        CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS));
  }
}
