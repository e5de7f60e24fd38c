package dev.kpool.conformance.internal;

import static dev.kpool.conformance.internal.Frames.json;
import static dev.kpool.conformance.internal.Frames.task;

import dev.kpool.protocol.frame.FrameCodec;
import dev.kpool.protocol.frame.FromWorker;
import dev.kpool.protocol.frame.ToWorker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Liveness and the end of a session: docs/protocol.md "Session" 4, 6 and 7. */
final class LifecycleChecks {
  private LifecycleChecks() {}

  static List<Check> all() {
    return List.of(
        new Check(
            "heartbeats",
            "while a task runs, a heartbeat with its id comes at least every heartbeatMillis,"
                + " and none after its result",
            LifecycleChecks::heartbeats),
        new Check(
            "heartbeats-off",
            "heartbeatMillis 0 turns heartbeats off",
            LifecycleChecks::heartbeatsOff),
        new Check(
            "shutdown",
            "shutdown lets the running task finish and send its result, ignores later frames,"
                + " then the worker exits 0",
            LifecycleChecks::shutdown),
        new Check(
            "end-of-stdin",
            "at end of stdin the worker exits 0 at once, even while a task runs",
            LifecycleChecks::endOfStdin));
  }

  private static void heartbeats(Workers workers) throws CheckFailed {
    long interval = workers.heartbeatMillis();
    // Half an interval of slack for the scheduling of two processes; the SDKs beat twice as often.
    long allowedGap = interval * 3 / 2;
    WorkerUnderTest worker = workers.start();
    worker.hello(interval, FrameCodec.DEFAULT_MAX_FRAME_BYTES);
    long start = System.nanoTime();
    worker.send(task("slow-1", Tasks.SLEEP, 4 * interval));
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(4 * interval) + nanos(workers);
    List<Long> beats = new ArrayList<>();
    long last = start;
    long worstGap = 0;
    while (true) {
      Received received = worker.nextReceived(deadline);
      worstGap = Math.max(worstGap, TimeUnit.NANOSECONDS.toMillis(received.nanos() - last));
      last = received.nanos();
      if (!(received.frame() instanceof FromWorker.Heartbeat heartbeat)) {
        Expect.that(
            received.frame() instanceof FromWorker.Result result && "slow-1".equals(result.id()),
            "expected heartbeats and the result of slow-1, got %s",
            received.frame());
        break;
      }
      Expect.equal("slow-1", heartbeat.id(), "heartbeat id");
      beats.add(received.nanos());
    }
    Expect.that(
        beats.size() >= 3,
        "expected at least 3 heartbeats during a task of 4 intervals of %d ms, got %d",
        interval,
        beats.size());
    Expect.that(
        worstGap <= allowedGap,
        "a gap of %d ms without a heartbeat; the interval is %d ms (%d ms allowed)",
        worstGap,
        interval,
        allowedGap);
    worker.send(task("after-slow", Tasks.ECHO, "next"));
    FromWorker next = worker.next();
    Expect.that(
        next instanceof FromWorker.Result result && "after-slow".equals(result.id()),
        "after the result of slow-1, expected the result of after-slow, got %s",
        next);
  }

  private static void heartbeatsOff(Workers workers) throws CheckFailed {
    WorkerUnderTest worker = workers.start();
    worker.hello(0, FrameCodec.DEFAULT_MAX_FRAME_BYTES);
    long millis = 2 * workers.heartbeatMillis();
    worker.send(task("quiet-1", Tasks.SLEEP, millis));
    FromWorker frame = worker.next();
    Expect.that(
        frame instanceof FromWorker.Result result && "quiet-1".equals(result.id()),
        "with heartbeatMillis 0, expected only the result of quiet-1, got %s",
        frame);
  }

  private static void shutdown(Workers workers) throws CheckFailed {
    WorkerUnderTest worker = workers.started();
    int millis = (int) (workers.heartbeatMillis() * 3 / 2);
    worker.send(task("last-1", Tasks.SLEEP, millis));
    worker.send(new ToWorker.Shutdown());
    worker.send(task("after-shutdown", Tasks.ECHO, "must be ignored"));
    FromWorker.Result result = worker.result("last-1");
    Expect.equal(List.of(json(millis)), result.results(), "results of the task before shutdown");
    Expect.equal(0, worker.awaitExit(HandshakeChecks.EXIT_TIMEOUT), "exit code");
    Expect.equal(List.of(), worker.rest(), "frames after the last result");
  }

  private static void endOfStdin(Workers workers) throws CheckFailed {
    WorkerUnderTest worker = workers.started();
    worker.send(task("forever", Tasks.SLEEP, 3_600_000));
    FromWorker first = worker.next();
    // The first heartbeat proves the task runs; without heartbeats this check cannot tell.
    Expect.that(
        first instanceof FromWorker.Heartbeat,
        "expected a heartbeat of the running task, got %s",
        first);
    worker.closeStdin();
    Expect.equal(0, worker.awaitExit(HandshakeChecks.EXIT_TIMEOUT), "exit code");
  }

  private static long nanos(Workers workers) {
    return workers.frameTimeout().toNanos();
  }
}
