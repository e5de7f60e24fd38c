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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Cancels a task from the dashboard: writes the same cancel request a client writes to the control
 * topic, which every supervisor of the pool reads. Blocks the request thread until Kafka has the
 * record, 10 seconds at most.
 */
@Path("/pools/{pool}/tasks/{task}/cancel")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class CancelResource {
  private final KafkaConnection kafka;
  private KafkaProducer<String, byte[]> producer;

  CancelResource(KafkaConnection kafka) {
    this.kafka = kafka;
  }

  /** 202 once the cancel request is written; 503 if Kafka did not take it. */
  @POST
  public Response cancel(@PathParam("pool") String pool, @PathParam("task") String task) {
    try {
      byte[] message = ProtocolJson.mapper().writeValueAsBytes(ControlMessage.cancel(pool, List.of(task), "kpool-dashboard"));
      producer().send(new ProducerRecord<>(Topics.control(), pool, message)).get(10, TimeUnit.SECONDS);
      return Response.accepted(Map.of("pool", pool, "task", task)).build();
    } catch (ExecutionException | TimeoutException | JsonProcessingException e) {
      return Response.status(503).entity(Map.of("error", "cancel request not written: " + e)).build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Response.status(503).entity(Map.of("error", "interrupted")).build();
    }
  }

  // Cancels are rare: one producer, made on the first.
  private synchronized KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      Map<String, Object> props = new HashMap<>(kafka.clientProperties());
      props.put("client.id", "kpool-supervisor-cancels");
      producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  synchronized void onStop(@Observes ShutdownEvent event) {
    if (producer != null) {
      producer.close(Duration.ofSeconds(2));
    }
  }
}
