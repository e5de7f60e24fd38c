package dev.kpool.examples.fault;

import dev.kpool.client.AsyncResult;
import dev.kpool.client.Pool;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

/**
 * A durable client in its own JVM, for scenario e to kill mid-load. It submits {@code ledger}
 * tasks with callbacks and reports on stdout, one line each: {@code submitted <i> <task id>}, then
 * {@code READY} once every task record is written, and {@code callback <i>} whenever a callback
 * runs. Lines are flushed as written, so what the test reads is what happened before the kill.
 *
 * <p>Arguments: bootstrap servers, pool, client id, task count, nap in milliseconds.
 */
public final class FaultClientMain {
  private FaultClientMain() {}

  public static void main(String[] args) throws IOException {
    PrintStream out = System.out;
    int tasks = Integer.parseInt(args[3]);
    long nap = Long.parseLong(args[4]);
    Pool pool = Pool.builder().bootstrapServers(args[0]).pool(args[1]).clientId(args[2]).build();
    for (int i = 0; i < tasks; i++) {
      int task = i;
      AsyncResult<Long> handle =
          pool.applyAsync(
              FaultPool.LEDGER,
              nap,
              r -> say(out, "callback " + task),
              e -> say(out, "callback " + task));
      say(out, "submitted " + i + " " + handle.taskId());
    }
    if (!pool.flush(Duration.ofSeconds(60))) {
      say(out, "NOT WRITTEN");
      System.exit(2);
    }
    say(out, "READY");
    System.in.read(); // until the test kills this JVM
    System.exit(3);
  }

  private static void say(PrintStream out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
