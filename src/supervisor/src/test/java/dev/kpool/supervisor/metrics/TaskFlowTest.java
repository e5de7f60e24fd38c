package dev.kpool.supervisor.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kpool.protocol.DeadLetterReason;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TaskFlowTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final TaskFlow flow = new TaskFlow();

  @Test
  void reasonTagsAreTheSameWhateverTheDefaultLocale() {
    Locale before = Locale.getDefault();
    // Turkish lower-cases I to a dotless i: "FOLLOW_UP_FAILED" would become
    // "follow_up_fa\u0131led".
    Locale.setDefault(Locale.forLanguageTag("tr-TR"));
    try {
      flow.bindTo(registry, Tags.of("pool", "p"));
    } finally {
      Locale.setDefault(before);
    }
    flow.deadLettered(DeadLetterReason.FOLLOW_UP_FAILED);

    assertEquals(
        1,
        registry
            .get("kpool.dead.letters")
            .tag("reason", "follow_up_failed")
            .functionCounter()
            .count());
  }

  @Test
  void retriesAndDeadLettersAreCountedByPoolAndReasonIncludingThoseBeforeBinding() {
    flow.retried();
    flow.deadLettered(DeadLetterReason.CRASHED);
    flow.bindTo(registry, Tags.of("pool", "p"));
    flow.retried();
    flow.deadLettered(DeadLetterReason.CRASHED);
    flow.deadLettered(DeadLetterReason.FOLLOW_UP_FAILED);

    assertEquals(2, registry.get("kpool.task.retries").tag("pool", "p").functionCounter().count());
    assertEquals(
        2,
        registry
            .get("kpool.dead.letters")
            .tags("pool", "p", "reason", "crashed")
            .functionCounter()
            .count());
    assertEquals(
        1,
        registry
            .get("kpool.dead.letters")
            .tag("reason", "follow_up_failed")
            .functionCounter()
            .count());
    assertEquals(
        0, registry.get("kpool.dead.letters").tag("reason", "timed_out").functionCounter().count());
  }

  @Test
  void queueWaitAndReplyWriteAreTimedOnceBoundAndANegativeWaitCountsAsZero() {
    flow.waited(500); // before binding: not timed
    flow.bindTo(registry, Tags.of("pool", "p"));
    flow.waited(250);
    flow.waited(-40);
    flow.replyWritten(TimeUnit.MILLISECONDS.toNanos(3));

    var wait = registry.get("kpool.task.queue.wait").tag("pool", "p").timer();
    assertEquals(2, wait.count());
    assertEquals(250, wait.totalTime(TimeUnit.MILLISECONDS));
    var reply = registry.get("kpool.reply.write").tag("pool", "p").timer();
    assertEquals(1, reply.count());
    assertEquals(3, reply.totalTime(TimeUnit.MILLISECONDS));
  }
}
