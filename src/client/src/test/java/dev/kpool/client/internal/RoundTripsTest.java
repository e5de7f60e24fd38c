package dev.kpool.client.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Round-trip listeners run on the reply thread, which a faulty listener must not break. */
class RoundTripsTest {
  private final RoundTrips roundTrips = new RoundTrips();
  private final List<Long> heard = new ArrayList<>();

  @Test
  void listenerThatThrowsNeitherEscapesNorSilencesTheOthers() {
    roundTrips.add(
        nanos -> {
          throw new IllegalStateException("registry closed");
        });
    roundTrips.add(heard::add);

    assertDoesNotThrow(() -> roundTrips.record(5));
    assertDoesNotThrow(() -> roundTrips.record(7));

    assertEquals(List.of(5L, 7L), heard);
  }

  @Test
  void everyListenerHearsEveryRoundTrip() {
    roundTrips.add(heard::add);
    roundTrips.add(heard::add);

    roundTrips.record(3);

    assertEquals(List.of(3L, 3L), heard);
  }
}
