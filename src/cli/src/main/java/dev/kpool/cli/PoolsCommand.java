package dev.kpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kpool pools}: each pool the supervisor serves, its workers and its task counts. */
@Command(
    name = "pools",
    description = "List the supervisor's pools: state, workers, tasks by outcome.")
final class PoolsCommand implements Runnable {
  @Mixin SupervisorOptions options;

  @Override
  public void run() {
    JsonNode pools = options.api().get("pools");
    if (options.json) {
      options.printJson(pools);
      return;
    }
    Table table =
        new Table(
            "POOL",
            "STATE",
            "IDLE",
            "BUSY",
            "STARTING",
            "QUEUED",
            "OK",
            "FAILED",
            "TIMED_OUT",
            "CRASHED",
            "CANCELLED",
            "AVG_MS");
    for (JsonNode pool : pools) {
      JsonNode workers = pool.get("workers");
      JsonNode tasks = pool.get("tasks");
      table.row(
          pool.get("name").asText(),
          pool.get("state").asText(),
          workers.get("IDLE").asInt(),
          workers.get("BUSY").asInt(),
          workers.get("STARTING").asInt(),
          pool.get("queued").asInt(),
          tasks.get("OK").asLong(),
          tasks.get("FAILED").asLong(),
          tasks.get("TIMED_OUT").asLong(),
          tasks.get("CRASHED").asLong(),
          tasks.get("CANCELLED").asLong(),
          Math.round(pool.get("avgTaskMillis").asDouble()));
    }
    table.print(options.out());
  }
}
