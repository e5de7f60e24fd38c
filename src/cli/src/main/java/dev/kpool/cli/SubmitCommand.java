package dev.kpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kpool.client.AsyncResult;
import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.protocol.ProtocolJson;
import java.io.IOException;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kpool submit <pool> <task> <json>}: one task from the shell, written to Kafka as the Java
 * client writes it; waits for its result and prints it as JSON, or with {@code --no-wait} prints
 * the task id and leaves.
 */
@Command(
    name = "submit",
    description = "Submit one task (its argument as JSON) and print its result as JSON.")
final class SubmitCommand implements Runnable {
  @Mixin KafkaOptions kafka;

  @Parameters(index = "0", description = "the pool")
  String pool;

  @Parameters(index = "1", description = "the task name")
  String task;

  @Parameters(
      index = "2",
      description = "the argument, as JSON (e.g. 7, \"text\", [1,2], {\"a\":1})")
  String argument;

  @Option(
      names = "--timeout",
      defaultValue = "PT60S",
      description = "how long to wait for the result (ISO-8601, default ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(
      names = "--no-wait",
      description = "print the task id once written, without waiting for the result")
  boolean noWait;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    JsonNode arg;
    try {
      arg = ProtocolJson.mapper().readTree(argument);
    } catch (IOException e) {
      throw new CliException("the argument is not JSON: " + e.getMessage(), e);
    }
    Task<JsonNode, JsonNode> json = Task.of(task, JsonNode.class, JsonNode.class);
    try (Pool client =
        Pool.builder()
            .bootstrapServers(kafka.bootstrapServers)
            .pool(pool)
            .closeTimeout(Duration.ofSeconds(5))
            .build()) {
      AsyncResult<JsonNode> result = client.applyAsync(json, arg);
      ObjectNode line = ProtocolJson.mapper().createObjectNode().put("taskId", result.taskId());
      if (!noWait) {
        line.set("result", result.get(timeout));
      }
      spec.commandLine().getOut().println(line);
      spec.commandLine().getOut().flush();
    } catch (RuntimeException e) {
      if (e instanceof CliException) {
        throw e;
      }
      throw new CliException("task " + task + " of pool " + pool + ": " + e.getMessage(), e);
    }
  }
}
