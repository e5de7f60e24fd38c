package dev.kpool.supervisor.fault;

import dev.kpool.supervisor.kafka.RecordWriter;
import dev.kpool.supervisor.kafka.TaskRecords;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Parks a retry on the pool's retry topic and ACCEPTs the delivery once that write is acknowledged;
 * the {@link RetryRelay} moves it back when due. If the write fails the delivery is RELEASEd and
 * redelivered at once, its delivery count still counting against the limit. Thread-safe.
 */
public final class RetryTopicRoute implements RetryRoute {
  private static final Logger LOG = Logger.getLogger(RetryTopicRoute.class);

  private final String pool;
  private final RecordWriter writer;
  private final LongSupplier clock;

  public RetryTopicRoute(String pool, RecordWriter writer, LongSupplier clock) {
    this.pool = pool;
    this.writer = writer;
    this.clock = clock;
  }

  @Override
  public CompletableFuture<TaskSettler.Verdict> retry(
      ConsumerRecord<String, byte[]> record, int nextAttempt, Duration delay) {
    return writer
        .retry(pool, record, nextAttempt, clock.getAsLong() + delay.toMillis())
        .handle(
            (ok, e) -> {
              if (e != null) {
                LOG.warnf(
                    "pool %s: cannot park task %s for retry; releasing it to run again now: %s",
                    pool, TaskRecords.taskId(record), e.toString());
                return TaskSettler.Verdict.RELEASE;
              }
              return TaskSettler.Verdict.ACCEPT;
            });
  }
}
