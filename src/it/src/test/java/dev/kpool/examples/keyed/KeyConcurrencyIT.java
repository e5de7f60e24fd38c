package dev.kpool.examples.keyed;

import static dev.kpool.examples.keyed.KeyedSpans.keyedPool;
import static dev.kpool.examples.keyed.KeyedSpans.maxOverlap;
import static dev.kpool.examples.keyed.KeyedSpans.oneKeyPerPartition;
import static dev.kpool.examples.keyed.KeyedSpans.run;
import static dev.kpool.examples.keyed.KeyedSpans.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.examples.keyed.KeyedSpans.Span;
import dev.kpool.examples.local.SupervisorProcess;
import dev.kpool.testkit.KafkaBrokerExtension;
import dev.kpool.testkit.KafkaTestBroker;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Per-key concurrency holds within a supervisor and across two: four keys on four partitions, and
 * the tasks of each key, as the workers themselves timed them, never overlap more than the limit
 * allows. A bound on overlap is a safety property that load cannot make pass falsely, so the class
 * runs beside the other ITs.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KeyConcurrencyIT {
  @Test
  void atMostTwoTasksOfAKeyRunAtOnce(KafkaTestBroker broker) throws Exception {
    String bootstrap = broker.bootstrapServers();
    Map<String, String> props = keyedPool(bootstrap, "keyed-one", "key-concurrency", "2");
    try (SupervisorProcess a = start(props, "keyed-one")) {
      List<String> keys = oneKeyPerPartition(4);
      List<Span> spans = run(bootstrap, "keyed-one", keys, 8, 300);
      for (String key : keys) {
        List<Span> mine = spans.stream().filter(s -> s.key().equals(key)).toList();
        assertEquals(8, mine.size());
        assertTrue(maxOverlap(mine) <= 2, key + " ran " + maxOverlap(mine) + " at once: " + mine);
      }
      assertTrue(spans.stream().map(Span::key).distinct().count() == 4);
    }
  }

  @Test
  void atMostTwoTasksOfAKeyRunAtOnceAcrossTwoSupervisors(KafkaTestBroker broker) throws Exception {
    String bootstrap = broker.bootstrapServers();
    Map<String, String> props = keyedPool(bootstrap, "keyed-conc", "key-concurrency", "2");
    try (SupervisorProcess a = start(props, "keyed-conc-a");
        SupervisorProcess b = start(props, "keyed-conc-b")) {
      List<String> keys = oneKeyPerPartition(4);
      List<Span> spans = run(bootstrap, "keyed-conc", keys, 12, 300);
      for (String key : keys) {
        List<Span> mine = spans.stream().filter(s -> s.key().equals(key)).toList();
        assertEquals(12, mine.size());
        assertTrue(maxOverlap(mine) <= 2, key + " ran " + maxOverlap(mine) + " at once: " + mine);
      }
      Set<Long> pids = spans.stream().map(Span::pid).collect(Collectors.toSet());
      Set<Long> workersOfA =
          a.handle().children().map(ProcessHandle::pid).collect(Collectors.toSet());
      Set<Long> workersOfB =
          b.handle().children().map(ProcessHandle::pid).collect(Collectors.toSet());
      assertTrue(
          pids.stream().anyMatch(workersOfA::contains)
              && pids.stream().anyMatch(workersOfB::contains),
          "both supervisors ran tasks: " + pids + " a=" + workersOfA + " b=" + workersOfB);
    }
  }
}
