package dev.kpool.protocol;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CoalescedFlushTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  @Test
  void requestsWhileAFlushIsPendingCostOneMoreFlush() throws InterruptedException {
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    List<String> flushes = new CopyOnWriteArrayList<>();
    String[] label = {"first"};
    try (CoalescedFlush flush =
        new CoalescedFlush(
            "test-flush",
            () -> {
              flushes.add(label[0]);
              if (flushes.size() == 1) {
                firstStarted.countDown();
                await().atMost(BOUND).until(() -> releaseFirst.await(0, TimeUnit.MILLISECONDS));
              }
            })) {
      flush.request();
      assertEquals(true, firstStarted.await(BOUND.toSeconds(), TimeUnit.SECONDS));
      label[0] = "during";
      flush.request();
      flush.request();
      flush.request();
      releaseFirst.countDown();
      await().atMost(BOUND).until(() -> flushes.size() == 2);

      label[0] = "after";
      flush.request();
      // The executor runs in order: had the three requests queued more than one flush, the third
      // flush would not be the one asked for now.
      await().atMost(BOUND).until(() -> flushes.size() >= 3);
      assertEquals(List.of("first", "during", "after"), flushes.subList(0, 3));
    }
  }

  @Test
  void aRequestAfterCloseIsIgnored() {
    List<String> flushes = new CopyOnWriteArrayList<>();
    CoalescedFlush flush = new CoalescedFlush("test-flush", () -> flushes.add("flush"));
    flush.close();
    flush.request();
    assertEquals(List.of(), flushes);
  }
}
