package dev.kpool.supervisor.metrics;

import dev.kpool.protocol.DeadLetterReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What happens to one pool's task records between Kafka and a worker, as the settling code tells
 * it: how long each waited from its record's timestamp to its start, retries scheduled, dead
 * letters written by reason, and how long each reply took to be written. Thread-safe and never
 * blocking, so slot and producer threads call it as they settle. Counts made before {@link
 * #bindTo} are kept; timings made before it (the supervisor's first milliseconds) are not.
 */
public final class TaskFlow {
  private static final double[] PERCENTILES = {0.5, 0.95, 0.99};

  private final LongAdder retries = new LongAdder();
  private final Map<DeadLetterReason, LongAdder> deadLetters =
      new EnumMap<>(DeadLetterReason.class);
  private volatile Timer queueWait;
  private volatile Timer replyWrite;

  public TaskFlow() {
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      deadLetters.put(reason, new LongAdder());
    }
  }

  /** A task started {@code millis} after its record was written (negative clock skew counts as 0). */
  public void waited(long millis) {
    Timer timer = queueWait;
    if (timer != null) {
      timer.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }
  }

  /** A failed run was scheduled to run again. */
  public void retried() {
    retries.increment();
  }

  /** A task record was written to the dead-letter topic. */
  public void deadLettered(DeadLetterReason reason) {
    deadLetters.get(reason).increment();
  }

  /** A reply was acknowledged by Kafka {@code nanos} after it was handed to the producer. */
  public void replyWritten(long nanos) {
    Timer timer = replyWrite;
    if (timer != null) {
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Retries scheduled since start. */
  public long retries() {
    return retries.sum();
  }

  /** Dead letters written for {@code reason} since start. */
  public long deadLetters(DeadLetterReason reason) {
    return deadLetters.get(reason).sum();
  }

  /** Registers this flow's meters, tagged {@code tags}, and starts timing. */
  void bindTo(MeterRegistry registry, Tags tags) {
    FunctionCounter.builder("kpool.task.retries", this, TaskFlow::retries)
        .description("Failed runs scheduled to run again")
        .tags(tags)
        .register(registry);
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      FunctionCounter.builder("kpool.dead.letters", this, flow -> flow.deadLetters(reason))
          .description("Task records written to the dead-letter topic, by reason")
          .tags(tags.and("reason", reason.name().toLowerCase(Locale.ROOT)))
          .register(registry);
    }
    queueWait =
        timer(
            registry,
            "kpool.task.queue.wait",
            "Time from a task record's timestamp to its start",
            tags,
            Duration.ofHours(1));
    replyWrite =
        timer(
            registry,
            "kpool.reply.write",
            "Time Kafka took to acknowledge a reply",
            tags,
            Duration.ofMinutes(1));
  }

  private static Timer timer(
      MeterRegistry registry, String name, String description, Tags tags, Duration max) {
    return Timer.builder(name)
        .description(description)
        .tags(tags)
        .publishPercentiles(PERCENTILES)
        .publishPercentileHistogram()
        .maximumExpectedValue(max)
        .register(registry);
  }
}
