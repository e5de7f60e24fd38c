package dev.kpool.cli;

import dev.kpool.protocol.ControlMessage;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kpool cancel <pool> <task-id>...}: writes a cancel request to the control topic, which
 * every supervisor of the pool reads. A task not started is never run; a running one has its worker
 * killed; its caller gets a cancelled reply.
 */
@Command(
    name = "cancel",
    description = "Cancel tasks by id: not started ones never run, running ones are killed.")
final class CancelCommand implements Runnable {
  @Mixin KafkaOptions kafka;

  @Parameters(index = "0", description = "the pool")
  String pool;

  @Parameters(index = "1..*", arity = "1..*", description = "the task ids")
  List<String> taskIds;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    // Kafka's default wait for metadata is a minute, before the wait for the write even starts.
    Map<String, Object> props =
        Map.of(
            "bootstrap.servers",
            kafka.bootstrapServers,
            "client.id",
            "kpool-cli",
            "max.block.ms",
            15_000);
    try (var producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      byte[] message =
          ProtocolJson.mapper()
              .writeValueAsBytes(ControlMessage.cancel(pool, taskIds, "kpool-cli"));
      producer
          .send(new ProducerRecord<>(Topics.control(), pool, message))
          .get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new CliException("cancel request not written: " + e.getCause(), e);
    } catch (TimeoutException
        | com.fasterxml.jackson.core.JsonProcessingException
        | KafkaException e) {
      throw new CliException("cancel request not written: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted", e);
    }
    spec.commandLine()
        .getOut()
        .println("cancel requested for " + String.join(" ", taskIds) + " of pool " + pool);
    spec.commandLine().getOut().flush();
  }
}
