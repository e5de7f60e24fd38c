package dev.kpool.client.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kpool.client.Pool;
import dev.kpool.client.PoolStats;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

class PoolMeterBinderTest {
  private final List<LongConsumer> roundTrips = new CopyOnWriteArrayList<>();
  private final AtomicReference<PoolStats> stats =
      new AtomicReference<>(new PoolStats(0, 0, 0, 0, 0, 0));

  /**
   * A pool handle that answers only what the binder asks: its name, client id and stats, and
   * takes its round-trip listener.
   */
  private Pool pool() {
    return (Pool)
        Proxy.newProxyInstance(
            Pool.class.getClassLoader(),
            new Class<?>[] {Pool.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "name" -> "squares";
                  case "clientId" -> "c-1";
                  case "stats" -> stats.get();
                  case "onRoundTrip" -> {
                    roundTrips.add((LongConsumer) args[0]);
                    yield null;
                  }
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  @Test
  void metersReadThePoolsCountersWhenScrapedTaggedByPoolAndClient() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new PoolMeterBinder(pool()).bindTo(registry);

    stats.set(new PoolStats(10, 7, 3, 5, 8, 1));

    var search =
        registry.find("kpool.client.tasks.submitted").tags("pool", "squares", "client", "c-1");
    assertEquals(10, search.functionCounter().count());
    assertEquals(7, registry.find("kpool.client.tasks.settled").functionCounter().count());
    assertEquals(3, registry.find("kpool.client.tasks.in.flight").gauge().value());
    assertEquals(5, registry.find("kpool.client.tasks.in.flight.peak").gauge().value());
    assertEquals(1, registry.find("kpool.client.replies.ignored").functionCounter().count());
  }

  @Test
  void roundTripsOfRepliesFeedATimerWithPercentiles() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new PoolMeterBinder(pool()).bindTo(registry);

    roundTrips.forEach(listener -> listener.accept(TimeUnit.MILLISECONDS.toNanos(40)));
    roundTrips.forEach(listener -> listener.accept(TimeUnit.MILLISECONDS.toNanos(60)));

    Timer timer =
        registry.find("kpool.client.round.trip").tags("pool", "squares", "client", "c-1").timer();
    assertEquals(2, timer.count());
    assertEquals(100, timer.totalTime(TimeUnit.MILLISECONDS));
    assertEquals(60, timer.max(TimeUnit.MILLISECONDS));
  }
}
