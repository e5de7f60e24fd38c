package dev.kpool.supervisor.keyed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyGateTest {
  private static final long MS = 1_000_000L;

  private static List<String> items(List<Map.Entry<String, String>> ready) {
    return ready.stream().map(Map.Entry::getValue).toList();
  }

  @Test
  void startsAtMostTheLimitPerKeyInOfferOrder() {
    KeyGate<String> gate = new KeyGate<>(2, Double.POSITIVE_INFINITY);
    for (String item : List.of("a1", "a2", "a3", "b1")) {
      gate.offer(item.substring(0, 1), item);
    }
    List<String> first = items(gate.takeReady(0));
    assertEquals(3, first.size());
    assertEquals(List.of("a1", "a2"), first.stream().filter(i -> i.startsWith("a")).toList());
    assertEquals(List.of(), items(gate.takeReady(1)), "a is full, b has nothing more");

    gate.release("a");
    assertEquals(List.of("a3"), items(gate.takeReady(2)));
    assertEquals(0, gate.waiting());
  }

  @Test
  void spacesStartsOfAKeyByTheRate() {
    KeyGate<String> gate = new KeyGate<>(Integer.MAX_VALUE, 5); // one start per 200 ms
    for (int i = 0; i < 3; i++) {
      gate.offer("h", "h" + i);
    }
    assertEquals(List.of("h0"), items(gate.takeReady(0)));
    assertEquals(List.of(), items(gate.takeReady(199 * MS)));
    assertEquals(1 * MS, gate.nanosUntilNextStart(199 * MS));
    assertEquals(List.of("h1"), items(gate.takeReady(200 * MS)));
    assertEquals(List.of("h2"), items(gate.takeReady(400 * MS)));
  }

  @Test
  void retriedItemGoesFirstAndDroppedItemsStopWaiting() {
    KeyGate<String> gate = new KeyGate<>(1, Double.POSITIVE_INFINITY);
    gate.offer("k", "k1");
    gate.offer("k", "k2");
    assertEquals(List.of("k1"), items(gate.takeReady(0)));
    gate.release("k");
    gate.offerFirst("k", "k1-again");
    assertEquals(List.of("k1-again"), items(gate.takeReady(0)));
    gate.drop(item -> item.equals("k2"));
    assertEquals(0, gate.waiting());
  }
}
