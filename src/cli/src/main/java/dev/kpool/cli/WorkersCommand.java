package dev.kpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code kpool workers <pool>}: the pool's worker processes on the supervisor. */
@Command(
    name = "workers",
    description = "List a pool's worker processes: pid, resident memory, age.")
final class WorkersCommand implements Runnable {
  @Mixin SupervisorOptions options;

  @Parameters(index = "0", description = "the pool")
  String pool;

  @Override
  public void run() {
    JsonNode workers = options.api().get("pools/" + pool + "/workers");
    if (options.json) {
      options.printJson(workers);
      return;
    }
    Table table = new Table("PID", "RSS_MB", "AGE_S");
    for (JsonNode worker : workers) {
      long rss = worker.get("rssBytes").asLong();
      table.row(
          worker.get("pid").asLong(),
          rss < 0 ? "?" : String.format("%.1f", rss / 1_048_576.0),
          worker.get("ageSeconds").asLong());
    }
    table.print(options.out());
  }
}
