package dev.kpool.supervisor.kafka;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kpool.protocol.DeadLetterReason;
import dev.kpool.protocol.RemoteError;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ReplyWriterTest {
  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
  private final ConsumerRecord<String, byte[]> task = new ConsumerRecord<>("kpool.p.tasks", 0, 7L, "t1", new byte[0]);

  @Test
  void aFailedWriteFailsOnlyItsOwnFutureAndTheNextWriteGoesThrough() throws Exception {
    try (ReplyWriter writer = new ReplyWriter(producer, null)) {
      CompletableFuture<Void> failed = writer.deadLetter("p", task, DeadLetterReason.CRASHED,
          RemoteError.of("kpool.WorkerCrashed", "x"), 1);
      producer.errorNext(new NetworkException("broker away"));
      var e = assertThrows(ExecutionException.class, () -> failed.get(10, TimeUnit.SECONDS));
      assertInstanceOf(NetworkException.class, e.getCause());

      CompletableFuture<Void> next = writer.deadLetter("p", task, DeadLetterReason.CRASHED,
          RemoteError.of("kpool.WorkerCrashed", "x"), 1);
      producer.completeNext();
      next.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aWriteCompletingWhileTheWriterClosesStillCompletesItsFuture() throws Exception {
    ReplyWriter writer = new ReplyWriter(producer, null);
    CompletableFuture<Void> pending = writer.deadLetter("p", task, DeadLetterReason.CRASHED,
        RemoteError.of("kpool.WorkerCrashed", "x"), 1);
    writer.close(); // MockProducer.close does not complete it; its completion comes after
    producer.errorNext(new NetworkException("closing"));
    assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
  }
}
