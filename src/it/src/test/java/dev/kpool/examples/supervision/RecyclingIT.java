package dev.kpool.examples.supervision;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.testkit.KafkaBrokerExtension;
import dev.kpool.testkit.KafkaTestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Worker processes are replaced for their task count, memory and age, as Pool's maxtasksperchild. */
@ExtendWith(KafkaBrokerExtension.class)
class RecyclingIT {
  private static final Task<Integer, Long> PID = Task.of("pid", Integer.class, Long.class);
  private static final Task<Integer, Integer> LEAK = Task.of("leak", Integer.class, Integer.class);
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void replacesAWorkerAfterMaxTasksPerChild(KafkaTestBroker broker) throws Exception {
    Map<String, String> props =
        PoolFixture.faultPool(broker.bootstrapServers(), "recycle-count", 1);
    props.put("kpool.pools.recycle-count.max-tasks-per-child", "3");
    try (PoolFixture fixture =
            PoolFixture.start(broker.bootstrapServers(), "recycle-count", props);
        Pool pool = fixture.client()) {
      List<Long> pids = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        pids.add(pool.apply(PID, i, WAIT));
      }
      Map<Long, Integer> tasksPerPid = new LinkedHashMap<>();
      pids.forEach(pid -> tasksPerPid.merge(pid, 1, Integer::sum));
      assertEquals(
          List.of(3, 3, 3),
          List.copyOf(tasksPerPid.values()),
          "each process ran exactly 3 tasks: " + pids);
      assertEquals(2, fixture.poolView().get("workerRecycles").asInt());
    }
  }

  @Test
  void replacesAWorkerWhoseResidentMemoryPassesTheLimit(KafkaTestBroker broker) throws Exception {
    Map<String, String> props =
        PoolFixture.faultPool(broker.bootstrapServers(), "recycle-memory", 1);
    props.put("kpool.pools.recycle-memory.max-memory-per-child", "110M");
    try (PoolFixture fixture =
            PoolFixture.start(broker.bootstrapServers(), "recycle-memory", props);
        Pool pool = fixture.client()) {
      long first = pool.apply(PID, 0, WAIT);
      assertEquals(first, pool.apply(PID, 0, WAIT), "a small worker is kept");
      pool.apply(LEAK, 90, WAIT);
      await().atMost(WAIT).until(() -> pool.apply(PID, 0, WAIT) != first);
      assertNotEquals(first, pool.apply(PID, 0, WAIT));
    }
  }

  @Test
  void replacesAWorkerOlderThanMaxAge(KafkaTestBroker broker) throws Exception {
    Map<String, String> props = PoolFixture.faultPool(broker.bootstrapServers(), "recycle-age", 1);
    props.put("kpool.pools.recycle-age.max-age-per-child", "1s");
    try (PoolFixture fixture = PoolFixture.start(broker.bootstrapServers(), "recycle-age", props);
        Pool pool = fixture.client()) {
      long first = pool.apply(PID, 0, WAIT);
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> pool.apply(PID, 0, WAIT) != first);
    }
  }
}
