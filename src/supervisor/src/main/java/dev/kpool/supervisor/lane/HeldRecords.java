package dev.kpool.supervisor.lane;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.jboss.logging.Logger;

/**
 * The records of one share-consumer batch until each is acknowledged, and the renewal of the locks
 * of those whose task still runs or waits for a worker.
 *
 * <p>On Kafka 4.2 a record acknowledged with {@link AcknowledgeType#RENEW} leaves the consumer's
 * flight until a later {@code poll()} returns it again (the same record, same delivery count, with
 * a fresh lock); only then can it be acknowledged once more. So a record is in one of three states
 * here: <em>open</em> (acknowledgeable, its task not settled), <em>renewing</em> (its renewal on
 * the wire), or settled. A task that settles while its record is renewing keeps its verdict until
 * the record comes back. A record whose renewal never comes back within a lock (the broker refused
 * it, or did not answer) is given up: its lock has lapsed and the group hands it out again.
 *
 * <p>Not thread-safe: used on the lane's thread only, like the consumer it acknowledges through.
 */
final class HeldRecords {
  private static final Logger LOG = Logger.getLogger(HeldRecords.class);

  /** A record's place, which identifies it across the deliveries a renewal returns. */
  record Key(String topic, int partition, long offset) {
    static Key of(ConsumerRecord<?, ?> record) {
      return new Key(record.topic(), record.partition(), record.offset());
    }
  }

  private final ShareConsumer<String, byte[]> consumer;
  private final Map<Key, ConsumerRecord<String, byte[]>> open = new HashMap<>();

  /** When each renewal was sent, in System.nanoTime(). */
  private final Map<Key, Long> renewing = new HashMap<>();

  private final Map<Key, AcknowledgeType> settledWhileRenewing = new HashMap<>();
  private int unsettled;

  HeldRecords(ShareConsumer<String, byte[]> consumer) {
    this.consumer = consumer;
  }

  /** Takes a record whose task is about to start. */
  void add(ConsumerRecord<String, byte[]> record) {
    open.put(Key.of(record), record);
    unsettled++;
  }

  /** Acknowledges a settled task's record, or keeps the verdict while its renewal is out. */
  void settle(ConsumerRecord<String, byte[]> record, AcknowledgeType verdict) {
    unsettled--;
    Key key = Key.of(record);
    ConsumerRecord<String, byte[]> current = open.remove(key);
    if (current != null) {
      consumer.acknowledge(current, verdict);
    } else if (renewing.containsKey(key)) {
      settledWhileRenewing.put(key, verdict);
    } else {
      LOG.debugf(
          "%s-%d@%d settled after its lock lapsed; not acknowledged",
          key.topic(), key.partition(), key.offset());
    }
  }

  /** Whether every task is settled and every verdict acknowledged. */
  boolean done() {
    return unsettled == 0 && renewing.isEmpty();
  }

  /** Whether only records settled while renewing remain, waiting for a poll to return them. */
  boolean onlyReturnsLeft() {
    return unsettled == 0 && !renewing.isEmpty();
  }

  /**
   * Whether the consumer may poll: in explicit mode every record it returned must be acknowledged
   * first, and an open record is not.
   */
  boolean mayPoll() {
    return open.isEmpty();
  }

  /** Whether a renewal is out whose record a poll has not returned yet. */
  boolean awaitingRenewals() {
    return !renewing.isEmpty();
  }

  /** Acknowledges every open record with RENEW; the next poll sends it. */
  void renewOpen(long nowNanos) {
    for (Map.Entry<Key, ConsumerRecord<String, byte[]>> entry : open.entrySet()) {
      consumer.acknowledge(entry.getValue(), AcknowledgeType.RENEW);
      renewing.put(entry.getKey(), nowNanos);
    }
    open.clear();
  }

  /**
   * Sorts a poll's records: a renewed record becomes open again, or is acknowledged at once with
   * the verdict its task reached meanwhile; any other record is new and goes to {@code fresh}.
   */
  void collect(
      Iterable<ConsumerRecord<String, byte[]>> polled,
      Consumer<ConsumerRecord<String, byte[]>> fresh) {
    List<ConsumerRecord<String, byte[]>> unknown = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : polled) {
      Key key = Key.of(record);
      if (renewing.remove(key) == null) {
        unknown.add(record);
        continue;
      }
      AcknowledgeType verdict = settledWhileRenewing.remove(key);
      if (verdict != null) {
        consumer.acknowledge(record, verdict);
      } else {
        open.put(key, record);
      }
    }
    unknown.forEach(fresh);
  }

  @Override
  public String toString() {
    return "open="
        + open.size()
        + " renewing="
        + renewing.size()
        + " settledWhileRenewing="
        + settledWhileRenewing.size()
        + " unsettled="
        + unsettled;
  }

  /** Gives up renewals older than a lock: their records are back in the group. */
  void expire(long nowNanos, long lockNanos) {
    for (Iterator<Map.Entry<Key, Long>> it = renewing.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, Long> entry = it.next();
      if (nowNanos - entry.getValue() > lockNanos) {
        it.remove();
        Key key = entry.getKey();
        boolean settled = settledWhileRenewing.remove(key) != null;
        LOG.warnf(
            "lock renewal of %s-%d@%d did not come back within a lock; the record may run "
                + "again elsewhere%s",
            key.topic(),
            key.partition(),
            key.offset(),
            settled ? " although its task settled here" : "");
      }
    }
  }
}
