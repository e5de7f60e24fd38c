package dev.kpool.devbroker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The broker settings that make a single node behave like a small production cluster for kpool,
 * shared by the embedded broker and the Testcontainers image so both run the same Kafka: {@link
 * #singleNode()}, which any one-node Kafka needs, plus test conveniences that a stock broker does
 * not have.
 */
public final class BrokerDefaults {

  private BrokerDefaults() {}

  /**
   * Only what one node needs to host Kafka's internal topics; every other setting, share-group
   * limits included, keeps Kafka's default, as on a stock cluster.
   */
  static Map<String, String> singleNode() {
    Map<String, String> p = new LinkedHashMap<>();
    // Internal topics default to replication factor 3 and 50 partitions: one node can host
    // neither the former nor, quickly, the latter.
    p.put("offsets.topic.num.partitions", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    return p;
  }

  /** Settings independent of listeners, ports and directories. */
  public static Map<String, String> settings() {
    Map<String, String> p = singleNode();
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "true");
    p.put("group.initial.rebalance.delay.ms", "0");
    // Pools with long tasks raise their record lock through group config; the broker caps it.
    p.put("group.share.max.record.lock.duration.ms", "3600000");
    // Lower floors (defaults unchanged) so fault tests can set short locks, sessions and
    // heartbeats per group instead of waiting 15 to 45 s for a dead member to be noticed.
    p.put("group.share.min.record.lock.duration.ms", "1000");
    p.put("group.share.min.session.timeout.ms", "1000");
    p.put("group.share.min.heartbeat.interval.ms", "500");
    p.put("group.consumer.min.session.timeout.ms", "1000");
    p.put("group.consumer.min.heartbeat.interval.ms", "500");
    return p;
  }
}
