package dev.kpool.supervisor.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.frame.FrameCodec;
import dev.kpool.protocol.frame.FromWorker;
import dev.kpool.protocol.frame.ToWorker;
import dev.kpool.supervisor.process.WorkerProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Spawns a worker process and takes it through hello and the pool's initializer: the production
 * {@link WorkerLauncher}.
 */
final class WorkerStarter {
  private static final AtomicInteger SEQ = new AtomicInteger();

  private WorkerStarter() {}

  /**
   * Starts one worker for {@code slotName}.
   *
   * @throws IOException if it cannot be spawned, does not answer hello in time, speaks another
   *     protocol version, or its initializer fails; the process is killed first
   */
  static StartedWorker start(PoolContext ctx, String slotName)
      throws IOException, InterruptedException {
    long begin = System.nanoTime();
    WorkerProcess process =
        WorkerProcess.start(ctx.command(), slotName, ctx.codec(), ctx.followUps());
    try {
      Duration timeout = ctx.config().startTimeout();
      process.send(
          new ToWorker.Hello(
              FrameCodec.VERSION,
              ctx.pool(),
              slotName,
              ctx.codec().maxFrameBytes(),
              ctx.config().heartbeatInterval().toMillis()));
      FromWorker answer = process.next(timeout);
      if (!(answer instanceof FromWorker.Hello hello)) {
        throw new IOException(
            answer == null ? "no hello within " + timeout : "expected hello, got " + answer);
      }
      if (hello.version() != FrameCodec.VERSION) {
        throw new IOException(
            "worker speaks protocol " + hello.version() + ", supervisor " + FrameCodec.VERSION);
      }
      if (ctx.config().initializer().isPresent()) {
        initialize(ctx, process, timeout);
      }
      ctx.stats().workerStarted(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
      return new StartedWorker(process, Set.copyOf(hello.tasks()), ctx.clock().nanoTime());
    } catch (IOException | InterruptedException | RuntimeException e) {
      process.kill(ctx.config().killGrace());
      throw e;
    }
  }

  private static void initialize(PoolContext ctx, WorkerProcess process, Duration timeout)
      throws IOException, InterruptedException {
    String initializer = ctx.config().initializer().get();
    JsonNode args = ProtocolJson.mapper().readTree(ctx.config().initializerArgs().orElse("null"));
    String id = "init-" + process.name() + "-" + SEQ.incrementAndGet();
    process.send(new ToWorker.Init(id, initializer, args));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      FromWorker frame = left <= 0 ? null : process.next(Duration.ofNanos(left));
      if (frame == null) {
        throw new IOException("initializer " + initializer + " did not finish within " + timeout);
      }
      if (frame instanceof FromWorker.Result result && id.equals(result.id())) {
        if (result.error() != null) {
          throw new IOException(
              "initializer "
                  + initializer
                  + " raised "
                  + result.error().type()
                  + ": "
                  + result.error().message());
        }
        return;
      }
    }
  }
}
