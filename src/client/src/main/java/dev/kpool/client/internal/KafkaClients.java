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
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Kafka clients one pool handle uses, configured from its settings. */
record KafkaClients(
    Producer<String, byte[]> producer, Consumer<String, byte[]> replyConsumer, TopicAdmin admin) {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaClients.class);
  private static final long ADMIN_TIMEOUT_SECONDS = 30;

  static KafkaClients create(KafkaPool.Settings settings) {
    Map<String, Object> common = new HashMap<>(settings.kafkaProperties());
    common.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());

    Map<String, Object> producerProps = new HashMap<>(common);
    producerProps.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // Kafka's own default, set here because it matters: the broker's cost is per request, and at
    // 1 ms a busy client sent its tasks a few to a request. apply() flushes its record at once.
    producerProps.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    producerProps.putIfAbsent(
        ProducerConfig.CLIENT_ID_CONFIG, "kpool-" + settings.clientId() + "-tasks");
    producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);

    Map<String, Object> consumerProps = replyConsumerProperties(common, settings);

    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps);
    try {
      return new KafkaClients(
          producer, new KafkaConsumer<>(consumerProps), new Admins(Map.copyOf(common)));
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      throw e;
    }
  }

  /** The reply consumer's properties over the {@code common} ones. */
  static Map<String, Object> replyConsumerProperties(
      Map<String, Object> common, KafkaPool.Settings settings) {
    Map<String, Object> consumerProps = new HashMap<>(common);
    if (settings.durable()) {
      // The group only stores the journal floor of this client identity; nobody else joins it.
      consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "kpool-client." + settings.clientId());
    } else {
      consumerProps.remove(ConsumerConfig.GROUP_ID_CONFIG);
    }
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerProps.putIfAbsent(
        ConsumerConfig.CLIENT_ID_CONFIG, "kpool-" + settings.clientId() + "-replies");
    consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    // The listener seeks explicitly (the end, or a durable client's journal floor); this only
    // decides where a position that is out of range goes. Kafka's default, latest, would skip every
    // reply between it and the end: a durable client whose floor fell below the retention, say,
    // would never see its detached tasks' replies. Duplicates are dropped by task id; a gap is not.
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return consumerProps;
  }

  /** Closes both clients after a failed start, whatever state they are in. */
  void closeQuietly() {
    try {
      producer.close(Duration.ZERO);
    } catch (RuntimeException e) {
      LOG.debug("closing the producer after a failed start: {}", e.toString());
    }
    try {
      replyConsumer.close();
    } catch (RuntimeException e) {
      LOG.debug("closing the reply consumer after a failed start: {}", e.toString());
    }
  }

  /** {@link TopicAdmin} with a short-lived Kafka admin client per call: calls are rare. */
  private record Admins(Map<String, Object> config) implements TopicAdmin {
    @Override
    public void ensure(String topic) {
      try (Admin admin = Admin.create(config)) {
        admin
            .createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())))
            .all()
            .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new KpoolException(
              "cannot create topic " + topic + ": " + e.getCause(), e.getCause());
        }
      } catch (TimeoutException e) {
        throw new KpoolException(
            "Kafka did not answer within " + ADMIN_TIMEOUT_SECONDS + " s creating " + topic, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KpoolException("interrupted creating " + topic, e);
      }
    }

    @Override
    public void delete(String topic) {
      try (Admin admin = Admin.create(config)) {
        admin.deleteTopics(List.of(topic)).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        LOG.info("could not delete reply topic {}: {}", topic, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
