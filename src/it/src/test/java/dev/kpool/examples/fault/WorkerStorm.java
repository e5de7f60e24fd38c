package dev.kpool.examples.fault;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.examples.supervision.PoolFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** What the storm scenarios share: their Python workers' interpreter and a SIGKILL of one worker. */
final class WorkerStorm {
  private WorkerStorm() {}

  /** The Python interpreter itself, not a launcher script (pyenv's shim costs a start-up per run). */
  static String python() throws IOException, InterruptedException {
    Process probe =
        new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
    String path = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(
        probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0 && !path.isEmpty(),
        "python3 runs");
    return path;
  }

  /**
   * SIGKILLs a random worker among those the supervisor lists as started (hello and initializer
   * done), counting it in {@code kills}: a kill during start-up only tests start-up, and on a loaded
   * machine it can keep every worker from ever serving. Never throws: a round without a kill is
   * printed and the storm goes on.
   */
  static void killOneServingWorker(PoolFixture supervisor, AtomicInteger kills) {
    try {
      List<Long> serving = new ArrayList<>();
      supervisor.poolView().get("pids").forEach(pid -> serving.add(pid.asLong()));
      if (!serving.isEmpty()) {
        long pid = serving.get(ThreadLocalRandom.current().nextInt(serving.size()));
        ProcessHandle.of(pid)
            .filter(ProcessHandle::destroyForcibly)
            .ifPresent(killed -> kills.incrementAndGet());
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      System.out.println("storm: no kill this round: " + e);
    }
  }
}
