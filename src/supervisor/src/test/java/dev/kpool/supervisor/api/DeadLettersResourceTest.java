package dev.kpool.supervisor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.WebApplicationException;
import java.util.Map;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** How a dead-letter call answers a bad request, and when Kafka does not answer. */
class DeadLettersResourceTest {
  // Bad requests are refused before the pool is looked up, so no supervisor is needed.
  private final DeadLettersResource resource = new DeadLettersResource(null);

  @Test
  void aLimitOutside1To1000OrANegativeFromAnswers400() {
    for (int limit : new int[] {0, DeadLettersResource.MAX_LIMIT + 1}) {
      WebApplicationException e =
          assertThrows(WebApplicationException.class, () -> resource.list("crawl", limit, null));
      assertEquals(400, e.getResponse().getStatus());
    }
    WebApplicationException e =
        assertThrows(WebApplicationException.class, () -> resource.list("crawl", 10, -1L));
    assertEquals(400, e.getResponse().getStatus());
  }

  @Test
  void aKafkaReadThatTimesOutAnswers503NamingThePool() {
    WebApplicationException e =
        assertThrows(
            WebApplicationException.class,
            () ->
                DeadLettersResource.orUnavailable(
                    "crawl",
                    () -> {
                      throw new TimeoutException(
                          "read kpool.crawl.dlq-0 only to offset 4 of [0, 9) in time");
                    }));

    assertEquals(503, e.getResponse().getStatus());
    String message = ((Map<?, ?>) e.getResponse().getEntity()).get("error").toString();
    assertTrue(message.contains("pool crawl") && message.contains("try again"), message);
  }

  @Test
  void aReadThatAnswersIsPassedThrough() {
    assertEquals("page", DeadLettersResource.orUnavailable("crawl", () -> "page"));
  }
}
