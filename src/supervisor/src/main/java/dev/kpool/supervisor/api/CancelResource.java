package dev.kpool.supervisor.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kpool.protocol.ControlMessage;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.Topics;
import dev.kpool.supervisor.kafka.KafkaConnection;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Cancels a task from the dashboard: writes the same cancel request a client writes to the control
 * topic, which every supervisor of the pool reads. Blocks the request thread until Kafka has the
 * record, {@link #WRITE_TIMEOUT} at most.
 */
@Path("/pools/{pool}/tasks/{task}/cancel")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class CancelResource {
  /** The longest a cancel request waits for Kafka, the producer's wait for metadata included. */
  static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

  private final KafkaConnection kafka;
  private KafkaProducer<String, byte[]> producer;

  CancelResource(KafkaConnection kafka) {
    this.kafka = kafka;
  }

  /** 202 once the cancel request is written; 503 if Kafka did not take it within the timeout. */
  @POST
  public Response cancel(@PathParam("pool") String pool, @PathParam("task") String task) {
    try {
      return write(producer(), pool, task);
    } catch (KafkaException e) {
      return ErrorResponses.error(503, "cancel request not written: " + e);
    }
  }

  /** Writes the cancel request of {@code task} with {@code producer}: 202 once written, else 503. */
  static Response write(Producer<String, byte[]> producer, String pool, String task) {
    long deadline = System.nanoTime() + WRITE_TIMEOUT.toNanos();
    try {
      byte[] message =
          ProtocolJson.mapper()
              .writeValueAsBytes(ControlMessage.cancel(pool, List.of(task), "kpool-dashboard"));
      producer
          .send(new ProducerRecord<>(Topics.control(), pool, message))
          .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return Response.accepted(Map.of("pool", pool, "task", task)).build();
    } catch (ExecutionException e) {
      return ErrorResponses.error(503, "cancel request not written: " + e.getCause());
    } catch (TimeoutException | JsonProcessingException | KafkaException e) {
      return ErrorResponses.error(503, "cancel request not written: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ErrorResponses.error(503, "interrupted");
    }
  }

  /**
   * The producer settings of cancel requests: a send waits for metadata half the timeout at most
   * (Kafka's default, a minute, would hold the request far past it when the broker is down).
   */
  static Map<String, Object> producerProperties(Map<String, Object> clientProperties) {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put("client.id", "kpool-supervisor-cancels");
    props.put("max.block.ms", WRITE_TIMEOUT.toMillis() / 2);
    return props;
  }

  // Cancels are rare: one producer, made on the first.
  private synchronized KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      producer =
          new KafkaProducer<>(
              producerProperties(kafka.clientProperties()),
              new StringSerializer(),
              new ByteArraySerializer());
    }
    return producer;
  }

  synchronized void onStop(@Observes ShutdownEvent event) {
    if (producer != null) {
      producer.close(Duration.ofSeconds(2));
    }
  }
}
