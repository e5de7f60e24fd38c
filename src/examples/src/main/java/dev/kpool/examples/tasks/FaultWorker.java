package dev.kpool.examples.tasks;

import dev.kpool.worker.TaskContext;
import dev.kpool.worker.Worker;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker whose tasks misbehave on purpose, for the fault tests and for showing supervision: it
 * dies by a signal, exits, freezes without heartbeats, writes garbage where frames go, and leaks
 * memory. It also serves the example tasks, so a pool of it does useful work in between.
 *
 * <p>{@code ledger} is the fault suite's witness of side effects: it naps for its argument in
 * milliseconds, returns it and, just before, appends {@code <task id> <attempt> <pid>} to the file named by {@value
 * #LEDGER_ENV}, so that a test can count how often each task really ran to completion.
 */
public final class FaultWorker {
  /** Memory {@code leak} keeps reachable for the life of the process. */
  private static final List<byte[]> LEAKED = new ArrayList<>();
  /** Environment variable naming the file {@code ledger} appends to. */
  public static final String LEDGER_ENV = "KPOOL_LEDGER";

  private FaultWorker() {}

  public static void main(String[] args) {
    Worker.builder()
        .task("square", Integer.class, x -> x * x)
        .task("pid", Integer.class, ignored -> ProcessHandle.current().pid())
        .task("ledger", Long.class, (Long millis, TaskContext ctx) -> {
          Thread.sleep(millis);
          appendToLedger(ctx.taskId() + " " + ctx.attempt() + " " + ProcessHandle.current().pid() + "\n");
          return millis;
        })
        .task("sleep", Long.class, millis -> {
          Thread.sleep(millis);
          return millis;
        })
        .task("span", Long.class, millis -> {
          long start = System.currentTimeMillis();
          Thread.sleep(millis);
          return List.of(start, System.currentTimeMillis(), ProcessHandle.current().pid());
        })
        .task("crash", Integer.class, signal -> {
          signalSelf(signal == null || signal == 0 ? 9 : signal);
          Thread.sleep(60_000); // the signal arrives first
          return null;
        })
        .task("exit", Integer.class, code -> {
          Runtime.getRuntime().halt(code);
          return null;
        })
        .task("hang", Integer.class, ignored -> {
          signalSelf(19); // SIGSTOP: every thread stops, heartbeats too
          return null;
        })
        .task("garbage", String.class, text -> {
          var stdout = new FileOutputStream(FileDescriptor.out);
          stdout.write(text.getBytes(StandardCharsets.UTF_8));
          stdout.flush();
          return text;
        })
        .task("leak", Integer.class, megabytes -> {
          for (int i = 0; i < megabytes; i++) {
            byte[] block = new byte[1024 * 1024];
            java.util.Arrays.fill(block, (byte) 1); // touch it, so it is resident
            LEAKED.add(block);
          }
          return LEAKED.size();
        })
        .build()
        .runAndExit();
  }

  private static void appendToLedger(String line) throws IOException {
    String file = System.getenv(LEDGER_ENV);
    if (file != null) {
      // O_APPEND: one short write per line, so lines of concurrent workers never interleave.
      Files.writeString(Path.of(file), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  private static void signalSelf(int signal) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + signal, Long.toString(ProcessHandle.current().pid())).start().waitFor();
  }
}
