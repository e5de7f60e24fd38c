package dev.kpool.supervisor.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kpool.protocol.DeadLetterReason;
import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.RemoteError;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class RecordWriterTest {
  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
  private final ConsumerRecord<String, byte[]> task =
      new ConsumerRecord<>("kpool.p.tasks", 0, 7L, "t1", new byte[0]);

  @Test
  void aFailedWriteFailsOnlyItsOwnFutureAndTheNextWriteGoesThrough() throws Exception {
    try (RecordWriter writer = new RecordWriter(producer, null)) {
      CompletableFuture<Void> failed =
          writer.deadLetter(
              "p", task, DeadLetterReason.CRASHED, RemoteError.of("kpool.WorkerCrashed", "x"), 1);
      producer.errorNext(new NetworkException("broker away"));
      var e = assertThrows(ExecutionException.class, () -> failed.get(10, TimeUnit.SECONDS));
      assertInstanceOf(NetworkException.class, e.getCause());

      CompletableFuture<Void> next =
          writer.deadLetter(
              "p", task, DeadLetterReason.CRASHED, RemoteError.of("kpool.WorkerCrashed", "x"), 1);
      producer.completeNext();
      next.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aReplayedTaskKeepsItsReplayOfOnTheWayThroughTheRetryTopic() {
    RecordHeaders headers = new RecordHeaders();
    headers.add(HeaderNames.REPLAY_OF, "4".getBytes(StandardCharsets.UTF_8));
    headers.add(HeaderNames.ATTEMPT, "1".getBytes(StandardCharsets.UTF_8));
    ConsumerRecord<String, byte[]> replayed =
        new ConsumerRecord<>(
            "kpool.p.tasks",
            0,
            9L,
            0L,
            TimestampType.CREATE_TIME,
            0,
            0,
            "t1",
            new byte[0],
            headers,
            Optional.empty());
    try (RecordWriter writer = new RecordWriter(producer, null)) {
      writer.retry("p", replayed, 2, 1_000L);

      var parked = producer.history().get(0).headers();
      assertEquals(
          "4",
          new String(parked.lastHeader(HeaderNames.REPLAY_OF).value(), StandardCharsets.UTF_8));
      assertEquals(
          3, parked.toArray().length, "replay-of, attempt and not-before, once each: " + parked);
      assertEquals(
          "2", new String(parked.lastHeader(HeaderNames.ATTEMPT).value(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void aWriteCompletingWhileTheWriterClosesStillCompletesItsFuture() throws Exception {
    RecordWriter writer = new RecordWriter(producer, null);
    CompletableFuture<Void> pending =
        writer.deadLetter(
            "p", task, DeadLetterReason.CRASHED, RemoteError.of("kpool.WorkerCrashed", "x"), 1);
    writer.close(); // MockProducer.close does not complete it; its completion comes after
    producer.errorNext(new NetworkException("closing"));
    assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
  }
}
