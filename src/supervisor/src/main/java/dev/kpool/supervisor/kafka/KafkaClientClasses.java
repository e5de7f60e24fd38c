package dev.kpool.supervisor.kafka;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Loads ahead what the first Kafka client of a supervisor start costs: the client classes, with
 * the protocol message schemas and configuration definitions their initializers build, and the
 * platform MBean server every client registers itself with.
 *
 * <p>Two uses. In the class-data archive's training run, which Quarkus stops after static init,
 * before any pool exists, {@link #load} puts the Kafka client into the archive. In a normal start,
 * {@link #startLoading} does the same work on a thread of its own while Quarkus boots on the main
 * thread, and {@link #awaitLoaded} keeps the first Kafka client from running beside it.
 */
public final class KafkaClientClasses {
  private static final List<String> NAMES = List.of(
      "org.apache.kafka.common.protocol.ApiKeys",
      "org.apache.kafka.clients.admin.AdminClientConfig",
      "org.apache.kafka.clients.admin.KafkaAdminClient",
      "org.apache.kafka.clients.producer.ProducerConfig",
      "org.apache.kafka.clients.producer.KafkaProducer",
      "org.apache.kafka.clients.consumer.ConsumerConfig",
      "org.apache.kafka.clients.consumer.KafkaConsumer",
      "org.apache.kafka.clients.consumer.ShareConsumerConfig",
      "org.apache.kafka.clients.consumer.KafkaShareConsumer");

  private static volatile Thread loader;

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

  /** Starts {@link #load} on a daemon thread and returns at once. Call at most once. */
  public static void startLoading() {
    Thread thread = new Thread(KafkaClientClasses::load, "kpool-kafka-preload");
    thread.setDaemon(true);
    loader = thread;
    thread.start();
  }

  /**
   * Waits for the loading that {@link #startLoading} began, if any, so that no Kafka client class
   * is initialized on two threads at once (class initializers that refer to each other could
   * otherwise deadlock). Returns at once when nothing was started.
   */
  public static void awaitLoaded() {
    Thread thread = loader;
    if (thread == null) {
      return;
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
