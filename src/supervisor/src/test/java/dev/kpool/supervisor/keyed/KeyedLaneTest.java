package dev.kpool.supervisor.keyed;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.protocol.Topics;
import dev.kpool.supervisor.config.TestPoolConfig;
import dev.kpool.supervisor.dispatch.ProcessPool;
import dev.kpool.supervisor.fault.TaskSettler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.DisconnectException;
import org.junit.jupiter.api.Test;

class KeyedLaneTest {
  @Test
  void pollsOnAfterAPollFails() throws Exception {
    var config = new TestPoolConfig(List.of("true"), 0, 1, 3);
    ProcessPool processes = new ProcessPool("k", config, submit -> {});
    MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    TopicPartition tp = new TopicPartition(Topics.tasks("k"), 0);
    consumer.updateBeginningOffsets(Map.of(tp, 0L));
    KeyedLane lane =
        new KeyedLane(
            "k",
            config,
            consumer,
            new TaskSettler("k", config, processes, null, null, null),
            processes);
    CountDownLatch polledAgain = new CountDownLatch(1);
    consumer.schedulePollTask(() -> consumer.rebalance(List.of(tp)));
    consumer.schedulePollTask(
        () -> consumer.setPollException(new DisconnectException("broker away")));
    consumer.schedulePollTask(polledAgain::countDown);
    lane.start();
    try {
      assertTrue(
          polledAgain.await(10, TimeUnit.SECONDS), "the lane polled again after the failed poll");
    } finally {
      lane.stop();
      lane.await(Duration.ofSeconds(10));
      processes.shutdown(Duration.ofSeconds(5));
    }
  }
}
