package dev.kpool.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.RemoteError;
import dev.kpool.protocol.Reply;
import dev.kpool.protocol.ReplyStatus;
import dev.kpool.protocol.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka without a broker for unit tests of a pool handle: a {@link MockProducer} that records task
 * records, a {@link PacedConsumer} on the reply topic, and a supervisor stand-in that answers task
 * records with a function of their arguments.
 */
final class FakeKafka {
  final MockProducer<String, byte[]> producer =
      new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
  final PacedConsumer consumer = new PacedConsumer();
  final List<String> ensured = new CopyOnWriteArrayList<>();
  final List<String> deleted = new CopyOnWriteArrayList<>();
  private final String replyTopic;
  private final List<Reply> sentReplies = new ArrayList<>();
  private int answered;
  private long nextOffset;
  private int echoed;

  FakeKafka(String clientId) {
    this.replyTopic = Topics.replies(clientId);
    consumer.updatePartitions(
        replyTopic, List.of(new PartitionInfo(replyTopic, 0, null, null, null)));
    TopicPartition tp = new TopicPartition(replyTopic, 0);
    consumer.updateBeginningOffsets(Map.of(tp, 0L));
    consumer.updateEndOffsets(Map.of(tp, 0L));
  }

  KafkaClients clients() {
    TopicAdmin admin =
        new TopicAdmin() {
          @Override
          public void ensure(String topic) {
            ensured.add(topic);
          }

          @Override
          public void delete(String topic) {
            deleted.add(topic);
          }
        };
    return new KafkaClients(producer, consumer, admin);
  }

  /** Records sent to {@code topic}, in order. */
  List<ProducerRecord<String, byte[]>> sentTo(String topic) {
    return producer.history().stream().filter(r -> r.topic().equals(topic)).toList();
  }

  /**
   * Answers every task record not answered yet: each item's result is {@code fn(item)}; an item
   * whose function throws fails the record there, as a worker stops a chunk at its first failure.
   */
  synchronized void answer(String pool, Function<JsonNode, JsonNode> fn) {
    List<ProducerRecord<String, byte[]>> tasks = sentTo(Topics.tasks(pool));
    for (; answered < tasks.size(); answered++) {
      ProducerRecord<String, byte[]> task = tasks.get(answered);
      reply(run(task, fn));
    }
  }

  /** Adds {@code reply} to the reply topic, as a supervisor would. */
  synchronized void reply(Reply reply) {
    sentReplies.add(reply);
    consumer.addRecord(new ConsumerRecord<>(replyTopic, 0, nextOffset++, reply.id(), json(reply)));
  }

  /**
   * Lets the reply consumer read the journal records the handle wrote to its reply topic since the
   * last call, as it would read them back from Kafka.
   */
  synchronized void echoJournal() {
    List<ProducerRecord<String, byte[]>> written =
        sentTo(replyTopic).stream()
            .filter(r -> r.headers().lastHeader(Journal.HEADER) != null)
            .toList();
    for (; echoed < written.size(); echoed++) {
      ProducerRecord<String, byte[]> r = written.get(echoed);
      consumer.addRecord(
          new ConsumerRecord<>(
              replyTopic,
              0,
              nextOffset++,
              0L,
              org.apache.kafka.common.record.TimestampType.CREATE_TIME,
              -1,
              -1,
              r.key(),
              r.value(),
              r.headers(),
              java.util.Optional.empty()));
    }
  }

  /** Writes the last reply again: a duplicate delivery. */
  synchronized void repeatLastReply() {
    reply(sentReplies.get(sentReplies.size() - 1));
  }

  private static Reply run(ProducerRecord<String, byte[]> task, Function<JsonNode, JsonNode> fn) {
    String id = header(task, HeaderNames.ID);
    JsonNode value = read(task.value());
    boolean chunk = header(task, HeaderNames.CHUNK) != null;
    List<JsonNode> items = new ArrayList<>();
    if (chunk) {
      value.forEach(items::add);
    } else {
      items.add(value);
    }
    List<JsonNode> results = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      try {
        results.add(fn.apply(items.get(i)));
      } catch (RuntimeException e) {
        RemoteError error =
            new RemoteError(
                e.getClass().getName(),
                e.getMessage(),
                e.getClass().getName()
                    + ": "
                    + e.getMessage()
                    + "\n\tat fake.Worker.run(Worker.java:1)",
                false,
                i);
        return Reply.failed(id, ReplyStatus.ERROR, results, error, 4242, 1, 1);
      }
    }
    return Reply.ok(id, results, 4242, 1, 1);
  }

  static String header(ProducerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  static JsonNode read(byte[] json) {
    try {
      return ProtocolJson.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] json(Object value) {
    try {
      return ProtocolJson.mapper().writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
