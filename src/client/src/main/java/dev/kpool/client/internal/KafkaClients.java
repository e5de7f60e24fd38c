package dev.kpool.client.internal;

import dev.kpool.client.KpoolException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The Kafka clients one pool handle uses, configured from its settings. */
record KafkaClients(
    Map<String, Object> common,
    KafkaProducer<String, byte[]> producer,
    KafkaConsumer<String, byte[]> replyConsumer) {

  static KafkaClients create(KafkaPool.Settings settings) {
    Map<String, Object> common = new HashMap<>(settings.kafkaProperties());
    common.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());

    Map<String, Object> producerProps = new HashMap<>(common);
    producerProps.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // Tasks are small and latency matters for apply(); batching still happens under load.
    producerProps.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
    producerProps.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "kpool-" + settings.clientId() + "-tasks");
    producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);

    Map<String, Object> consumerProps = new HashMap<>(common);
    // The group only stores how far this client identity has read its replies.
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "kpool-client." + settings.clientId());
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerProps.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "kpool-" + settings.clientId() + "-replies");
    consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);

    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps);
    try {
      return new KafkaClients(Map.copyOf(common), producer, new KafkaConsumer<>(consumerProps));
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      throw e;
    }
  }

  /** Creates {@code topic} with one partition unless it exists. */
  void ensureTopic(String topic) {
    try (Admin admin = Admin.create(common)) {
      admin
          .createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new KpoolException("cannot create reply topic " + topic + ": " + e.getCause(), e.getCause());
      }
    } catch (TimeoutException e) {
      throw new KpoolException("Kafka did not answer within 30 s creating " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KpoolException("interrupted creating " + topic, e);
    }
  }

  void closeQuietly() {
    producer.close(Duration.ZERO);
    replyConsumer.close();
  }
}
