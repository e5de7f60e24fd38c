package dev.kpool.supervisor.kafka;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Loads ahead what the first Kafka client of a supervisor start costs: the client classes, with
 * the protocol message schemas and configuration definitions their initializers build, and the
 * platform MBean server every client registers itself with.
 *
 * <p>Only for the class-data archive's training run, which Quarkus stops after static init, before
 * any pool exists: without it the archive holds none of the Kafka client. A normal start does not
 * preload on a thread of its own: tried, a start once hung before its first log line (class
 * initializers of logging and JMX running beside Quarkus's own boot are the likely cause).
 */
public final class KafkaClientClasses {
  private static final List<String> NAMES =
      List.of(
          "org.apache.kafka.common.protocol.ApiKeys",
          "org.apache.kafka.clients.admin.AdminClientConfig",
          "org.apache.kafka.clients.admin.KafkaAdminClient",
          "org.apache.kafka.clients.producer.ProducerConfig",
          "org.apache.kafka.clients.producer.KafkaProducer",
          "org.apache.kafka.clients.consumer.ConsumerConfig",
          "org.apache.kafka.clients.consumer.KafkaConsumer",
          "org.apache.kafka.clients.consumer.ShareConsumerConfig",
          "org.apache.kafka.clients.consumer.KafkaShareConsumer");

  private KafkaClientClasses() {}

  /**
   * Loads and initializes on the calling thread. A missing class (another Kafka version) is
   * skipped: this only saves time, and the client loads what it needs anyway.
   */
  public static void load() {
    ClassLoader classLoader = KafkaClientClasses.class.getClassLoader();
    for (String name : NAMES) {
      try {
        Class.forName(name, true, classLoader);
      } catch (ClassNotFoundException | LinkageError e) {
        // loaded, or found missing, by the client itself later
      }
    }
    ManagementFactory.getPlatformMBeanServer();
  }
}
