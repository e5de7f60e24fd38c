package dev.kpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.kpool.protocol.ProtocolJson;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kpool dead-letters list|replay|discard}: a pool's dead letters, writing one back as a
 * task, and discarding one for good.
 */
@Command(
    name = "dead-letters",
    description = "A pool's dead letters.",
    subcommands = {
      DeadLettersCommand.ListCommand.class,
      DeadLettersCommand.ReplayCommand.class,
      DeadLettersCommand.DiscardCommand.class
    })
final class DeadLettersCommand {

  @Command(name = "list", description = "List the newest dead letters of a pool.")
  static final class ListCommand implements Runnable {
    @Mixin SupervisorOptions options;

    @Parameters(index = "0", description = "the pool")
    String pool;

    @Option(
        names = "--limit",
        defaultValue = "100",
        description = "at most this many (1..1000, default ${DEFAULT-VALUE})")
    int limit;

    @Override
    public void run() {
      JsonNode page = options.api().get("pools/" + pool + "/dead-letters?limit=" + limit);
      if (options.json) {
        options.printJson(page);
        return;
      }
      Table table = new Table("OFFSET", "TASK_ID", "TASK", "REASON", "ATTEMPTS", "ERROR");
      for (JsonNode entry : page.get("deadLetters")) {
        table.row(
            entry.get("offset").asLong(),
            entry.path("taskId").asText(),
            entry.path("task").asText(),
            entry.path("reason").asText(),
            entry.path("attempts").asInt(),
            entry.path("error").asText(""));
      }
      table.print(options.out());
    }
  }

  @Command(
      name = "replay",
      description = "Write a dead letter's task back to its pool (attempt 1).")
  static final class ReplayCommand implements Runnable {
    @Mixin SupervisorOptions options;

    @Parameters(index = "0", description = "the pool")
    String pool;

    @Parameters(index = "1", description = "the dead letter's offset, as listed")
    long offset;

    @Override
    public void run() {
      JsonNode entry = options.api().post("pools/" + pool + "/dead-letters/" + offset + "/replay");
      if (options.json) {
        options.printJson(entry);
      } else {
        options
            .out()
            .println("replayed task " + entry.path("taskId").asText() + " from offset " + offset);
        options.out().flush();
      }
    }
  }

  @Command(
      name = "discard",
      description = "Discard dead letters: no longer listed, never replayed.")
  static final class DiscardCommand implements Runnable {
    @Mixin SupervisorOptions options;

    @Parameters(index = "0", description = "the pool")
    String pool;

    @Parameters(
        index = "1..*",
        arity = "1..*",
        description = "the dead letters' offsets, as listed")
    List<Long> offsets;

    @Override
    public void run() {
      ArrayNode discarded = ProtocolJson.mapper().createArrayNode();
      for (long offset : offsets) {
        JsonNode entry =
            options.api().post("pools/" + pool + "/dead-letters/" + offset + "/discard");
        discarded.add(entry);
        if (!options.json) {
          options
              .out()
              .println("discarded task " + entry.path("taskId").asText() + " at offset " + offset);
        }
      }
      if (options.json) {
        options.printJson(discarded);
      }
      options.out().flush();
    }
  }
}
