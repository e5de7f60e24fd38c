package dev.kpool.examples.keyed;

import static dev.kpool.examples.keyed.KeyedSpans.keyedPool;
import static dev.kpool.examples.keyed.KeyedSpans.run;
import static dev.kpool.examples.keyed.KeyedSpans.start;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.examples.keyed.KeyedSpans.Span;
import dev.kpool.examples.local.SupervisorProcess;
import dev.kpool.testkit.KafkaBrokerExtension;
import dev.kpool.testkit.KafkaTestBroker;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A key's rate limit holds: ten tasks of one key start no faster than {@code key-rate} allows, as
 * the worker timed their starts. A worker delayed by load could start a task late and bunch the
 * following starts, so the class runs alone.
 */
@Tag("serial") // asserts timings: runs alone (see the module pom)
@ExtendWith(KafkaBrokerExtension.class)
class KeyRateIT {
  @Test
  void startsOfAKeyKeepToItsRate(KafkaTestBroker broker) throws Exception {
    String bootstrap = broker.bootstrapServers();
    Map<String, String> props = keyedPool(bootstrap, "keyed-rate", "key-rate", "5");
    try (SupervisorProcess a = start(props, "keyed-rate-a")) {
      List<Span> spans = run(bootstrap, "keyed-rate", List.of("slow-host"), 10, 10);
      List<Long> starts = spans.stream().map(Span::start).sorted().toList();
      // 5 a second is one per 200 ms at hand-over; a worker's own start adds jitter, so allow 10 %:
      // no 6 starts within 900 ms, and 10 starts take at least 9 spacings less that.
      for (int i = 0; i + 5 < starts.size(); i++) {
        assertTrue(starts.get(i + 5) - starts.get(i) >= 900, "6 starts within 900 ms: " + starts);
      }
      assertTrue(starts.get(9) - starts.get(0) >= 1_700, "starts " + starts);
    }
  }
}
