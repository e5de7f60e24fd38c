package dev.kpool.supervisor.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.kpool.protocol.HeaderNames;
import dev.kpool.supervisor.config.TestPoolConfig;
import dev.kpool.supervisor.dispatch.ProcessPool;
import dev.kpool.supervisor.fault.TaskSettler.Verdict;
import dev.kpool.supervisor.kafka.FollowUps;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class TaskSettlerTest {
  private static ConsumerRecord<String, byte[]> square(String id, long offset) {
    var record =
        new ConsumerRecord<String, byte[]>(
            "kpool.p.tasks", 0, offset, id, "3".getBytes(StandardCharsets.UTF_8));
    record.headers().add(HeaderNames.ID, id.getBytes(StandardCharsets.UTF_8));
    record.headers().add(HeaderNames.TASK, "square".getBytes(StandardCharsets.UTF_8));
    return record;
  }

  /** A pool never started: what is submitted stays queued until shutdown ends it as not run. */
  @Test
  void aRedeliveryOfATaskStillQueuedJoinsItAndIsReleasedWithIt() throws Exception {
    var config = new TestPoolConfig(List.of("true"), 0, 1, 3);
    ProcessPool processes = new ProcessPool("p", config, submit -> {});
    TaskSettler settler = new TaskSettler("p", config, processes, null, new FollowUps(null), null);

    CompletableFuture<Verdict> first = settler.run(square("t1", 7), 1);
    // the restarted broker's fresh delivery of the same record, to another lane
    CompletableFuture<Verdict> again = settler.run(square("t1", 7), 1);
    CompletableFuture<Verdict> other = settler.run(square("t2", 8), 1);
    assertEquals(2, processes.queued(), "t1 is queued once, beside t2");
    assertFalse(again.isDone(), "the redelivery waits for the copy it joined");

    processes.shutdown(Duration.ofSeconds(5));
    assertEquals(Verdict.RELEASE, first.get(10, TimeUnit.SECONDS));
    assertEquals(Verdict.RELEASE, again.get(10, TimeUnit.SECONDS), "the joined copy's verdict");
    assertEquals(Verdict.RELEASE, other.get(10, TimeUnit.SECONDS));
  }
}
