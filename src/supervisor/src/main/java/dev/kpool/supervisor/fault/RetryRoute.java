package dev.kpool.supervisor.fault;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where a task waits out its backoff before its next run, so that no worker and no record lock is
 * held meanwhile. Share-group pools park it on the retry topic ({@link RetryTopicRoute}); keyed
 * pools hold it in their lane, keeping the key's order ({@code keyed.InLaneRetry}).
 */
public interface RetryRoute {

  /**
   * Schedules run {@code nextAttempt} of {@code record} after {@code delay}. Completes with the
   * verdict on the current delivery once the retry is safely scheduled; never exceptionally.
   */
  CompletableFuture<TaskSettler.Verdict> retry(
      ConsumerRecord<String, byte[]> record, int nextAttempt, Duration delay);
}
