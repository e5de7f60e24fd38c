package dev.kpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code kpool backlog <pool>}: the pool's backlog as its share group and the supervisor see it,
 * the figure an autoscaler reads.
 */
@Command(
    name = "backlog",
    description =
        "Show a pool's backlog: records not yet acknowledged in its share group, tasks in flight, "
            + "busy and idle workers, average task time and the suggested number of supervisors.")
final class BacklogCommand implements Runnable {
  @Mixin SupervisorOptions options;

  @Parameters(index = "0", description = "the pool")
  String pool;

  @Override
  public void run() {
    JsonNode backlog = options.api().get("pools/" + pool + "/backlog");
    if (options.json) {
      options.printJson(backlog);
      return;
    }
    Table table =
        new Table(
            "POOL", "UNACKED", "IN_FLIGHT", "BUSY", "IDLE", "AVG_TASK_MS", "SUGGESTED_REPLICAS");
    table.row(
        backlog.get("pool").asText(),
        backlog.get("unacknowledged").asLong(),
        backlog.get("inFlight").asInt(),
        backlog.get("busyWorkers").asInt(),
        backlog.get("idleWorkers").asInt(),
        String.format("%.1f", backlog.get("averageTaskMillis").asDouble()),
        backlog.get("suggestedReplicas").asInt());
    table.print(options.out());
  }
}
