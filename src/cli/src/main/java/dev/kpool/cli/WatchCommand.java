package dev.kpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kpool watch}: a live view of the pools, redrawn every interval: a bar of busy workers per
 * pool, tasks done and the rate since the last frame (over the time between the two reads, which
 * a slow supervisor stretches past the interval). Stops after {@code --count} frames, or on
 * Ctrl-C.
 */
@Command(
    name = "watch",
    description = "A live view of the pools: busy workers as a bar, tasks done, tasks/s.")
final class WatchCommand implements Runnable {
  private static final int BAR = 30;

  /** ANSI: cursor home and clear the screen, so each frame replaces the last. */
  private static final String CLEAR = "\033[H\033[2J";

  @Mixin SupervisorOptions options;

  @Option(
      names = "--interval",
      defaultValue = "PT1S",
      description = "time between frames (default ${DEFAULT-VALUE})")
  Duration interval;

  @Option(
      names = "--count",
      defaultValue = "0",
      description = "stop after this many frames (0: until Ctrl-C)")
  int count;

  @Override
  public void run() {
    PrintWriter out = options.out();
    Map<String, Long> lastDone = new HashMap<>();
    long lastRead = 0;
    for (int frame = 1; count == 0 || frame <= count; frame++) {
      JsonNode pools = options.api().get("pools");
      long read = System.nanoTime();
      double seconds = (read - lastRead) / 1e9;
      lastRead = read;
      if (options.json) {
        out.println(pools);
      } else {
        out.print(CLEAR);
        for (JsonNode pool : pools) {
          String name = pool.get("name").asText();
          JsonNode workers = pool.get("workers");
          int busy = workers.get("BUSY").asInt();
          int total = busy + workers.get("IDLE").asInt() + workers.get("STARTING").asInt();
          long done = 0;
          for (JsonNode n : pool.get("tasks")) {
            done += n.asLong();
          }
          Long before = lastDone.put(name, done);
          double rate = before == null ? 0 : (done - before) / seconds;
          out.printf(
              "%-16s %-8s [%s] %d/%d busy  %d queued  %d done  %.1f tasks/s%n",
              name,
              pool.get("state").asText(),
              bar(busy, total),
              busy,
              total,
              pool.get("queued").asInt(),
              done,
              rate);
        }
      }
      out.flush();
      if (count != 0 && frame == count) {
        break;
      }
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  static String bar(int part, int whole) {
    int filled = whole == 0 ? 0 : Math.round((float) BAR * part / whole);
    return "#".repeat(filled) + ".".repeat(BAR - filled);
  }
}
