package dev.kpool.supervisor.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BacklogGaugeTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicLong nanos = new AtomicLong();

  @Test
  void showsTheLastBacklogReadAndItsAgeWithoutReadingKafkaWhenScraped() {
    AtomicLong reads = new AtomicLong();
    BacklogGauge gauge = new BacklogGauge("p", () -> 40 + reads.incrementAndGet(), nanos::get);
    gauge.bindTo(registry, Tags.of("pool", "p"));
    assertTrue(Double.isNaN(registry.get("kpool.backlog").gauge().value()), "nothing read yet");

    gauge.refresh();
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(7));

    assertEquals(41, registry.get("kpool.backlog").tag("pool", "p").gauge().value());
    assertEquals(7, registry.get("kpool.backlog.age").tag("pool", "p").gauge().value());
    registry.get("kpool.backlog").gauge().value();
    assertEquals(1, reads.get(), "a scrape does not read the backlog");
  }

  @Test
  void keepsTheLastValueAndLetsItAgeWhenKafkaFails() {
    AtomicLong answer = new AtomicLong(12);
    BacklogGauge gauge =
        new BacklogGauge(
            "p",
            () -> {
              if (answer.get() < 0) {
                throw new IllegalStateException("Kafka did not answer");
              }
              return answer.get();
            },
            nanos::get);
    gauge.bindTo(registry, Tags.of("pool", "p"));
    gauge.refresh();
    answer.set(-1);
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(30));
    gauge.refresh();

    assertEquals(12, registry.get("kpool.backlog").gauge().value());
    assertEquals(30, registry.get("kpool.backlog.age").gauge().value());
  }

  @Test
  void aScrapeAnswersWhileAReadIsBlockedOnKafka() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    BacklogGauge gauge =
        new BacklogGauge(
            "p",
            () -> {
              reading.countDown();
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return 5;
            },
            nanos::get);
    gauge.bindTo(registry, Tags.of("pool", "p"));
    Thread refresh = new Thread(gauge::refresh);
    refresh.start();
    assertTrue(reading.await(10, TimeUnit.SECONDS));

    assertTrue(
        Double.isNaN(registry.get("kpool.backlog").gauge().value()),
        "answers at once, with no value yet");
    release.countDown();
    refresh.join(10_000);
    assertEquals(5, registry.get("kpool.backlog").gauge().value());
  }
}
