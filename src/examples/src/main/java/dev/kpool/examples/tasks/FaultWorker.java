package dev.kpool.examples.tasks;

import dev.kpool.worker.NonRetryableTaskException;
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
 * memory, fails until a given attempt, and has an initializer that fails its first runs. It also
 * serves the example tasks, so a pool of it does useful work in between.
 *
 * <p>{@code ledger} is the fault suite's witness of side effects: it naps for its argument in
 * milliseconds, returns it and, just before, appends {@code <task id> <attempt> <pid>} to the file
 * named by {@value #LEDGER_ENV}, so that a test can count how often each task really ran to
 * completion. {@code journal} naps likewise but appends {@code <task id> start <attempt> <pid> <epoch
 * millis>} before and {@code <task id> end <attempt> <pid> <epoch millis>} after, so that a run cut short shows as a start
 * without an end.
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
        .task(
            "ledger",
            Long.class,
            (Long millis, TaskContext ctx) -> {
              Thread.sleep(millis);
              appendToLedger(
                  ctx.taskId() + " " + ctx.attempt() + " " + ProcessHandle.current().pid() + "\n");
              return millis;
            })
        .task(
            "say",
            String.class,
            text -> {
              System.err.println(text); // the worker's log: the supervisor copies it, tagged
              System.err.flush();
              Thread.sleep(200); // the line is read while the task still runs
              return text;
            })
        .task(
            "journal",
            Long.class,
            (Long millis, TaskContext ctx) -> {
              appendToLedger(
                  ctx.taskId()
                      + " start "
                      + ctx.attempt()
                      + " "
                      + ProcessHandle.current().pid()
                      + " "
                      + System.currentTimeMillis()
                      + "\n");
              Thread.sleep(millis);
              appendToLedger(
                  ctx.taskId()
                      + " end "
                      + ctx.attempt()
                      + " "
                      + ProcessHandle.current().pid()
                      + " "
                      + System.currentTimeMillis()
                      + "\n");
              return millis;
            })
        .task(
            "sleep",
            Long.class,
            millis -> {
              Thread.sleep(millis);
              return millis;
            })
        .task(
            "span",
            Long.class,
            millis -> {
              long start = System.currentTimeMillis();
              Thread.sleep(millis);
              return List.of(start, System.currentTimeMillis(), ProcessHandle.current().pid());
            })
        .task(
            "crash",
            Integer.class,
            signal -> {
              signalSelf(signal == null || signal == 0 ? 9 : signal);
              Thread.sleep(60_000); // the signal arrives first
              return null;
            })
        .task(
            "exit",
            Integer.class,
            code -> {
              Runtime.getRuntime().halt(code);
              return null;
            })
        .task(
            "hang",
            Integer.class,
            ignored -> {
              signalSelf(19); // SIGSTOP: every thread stops, heartbeats too
              return null;
            })
        .task(
            "garbage",
            String.class,
            text -> {
              var stdout = new FileOutputStream(FileDescriptor.out);
              stdout.write(text.getBytes(StandardCharsets.UTF_8));
              stdout.flush();
              return text;
            })
        .task(
            "flaky",
            Integer.class,
            (succeedOnAttempt, context) -> {
              if (context.attempt() < succeedOnAttempt) {
                throw new IllegalStateException("flaky: attempt " + context.attempt() + " fails");
              }
              return context.attempt();
            })
        .task(
            "fail",
            String.class,
            (message, context) -> {
              throw new IllegalStateException(message + " (attempt " + context.attempt() + ")");
            })
        .task(
            "fail-nonretryable",
            String.class,
            (message, context) -> {
              throw new NonRetryableTaskException(message + " (attempt " + context.attempt() + ")");
            })
        .task(
            "fail-until-file",
            String.class,
            path -> {
              if (!Files.exists(Path.of(path))) {
                throw new IllegalStateException("no file " + path + " yet");
              }
              return path;
            })
        .initializer("flaky-init", FlakyInit.class, FaultWorker::flakyInit)
        .task(
            "leak",
            Integer.class,
            megabytes -> {
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

  /**
   * Argument of {@code flaky-init}: the first {@code failures} initializations of any worker sharing
   * {@code counter} fail, by throwing or (with {@code exit}) by exiting with status 3.
   */
  public record FlakyInit(String counter, int failures, boolean exit) {}

  private static void flakyInit(FlakyInit arg) throws IOException {
    Path counter = Path.of(arg.counter());
    int starts;
    // Workers start one at a time per slot, but two slots may race: the lock keeps the count exact.
    try (var channel =
            java.nio.channels.FileChannel.open(
                counter,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        var lock = channel.lock()) {
      channel.write(java.nio.ByteBuffer.wrap(new byte[] {'.'}));
      starts = (int) channel.size();
    }
    if (starts <= arg.failures()) {
      if (arg.exit()) {
        Runtime.getRuntime().halt(3);
      }
      throw new IllegalStateException("flaky-init: initialization " + starts + " fails");
    }
  }

  private static void signalSelf(int signal) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + signal, Long.toString(ProcessHandle.current().pid()))
        .start()
        .waitFor();
  }
}
