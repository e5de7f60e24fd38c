package dev.kpool.conformance.internal;

import static dev.kpool.conformance.internal.Frames.task;

import dev.kpool.protocol.frame.FrameCodec;
import dev.kpool.protocol.frame.FromWorker;
import dev.kpool.protocol.frame.ToWorker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The hello exchange and a broken input stream: docs/protocol.md "Session" 1 and "Framing". */
final class HandshakeChecks {
  /** The spec's bound on exits the kit waits for. */
  static final Duration EXIT_TIMEOUT = Duration.ofSeconds(5);

  private HandshakeChecks() {}

  static List<Check> all() {
    return List.of(
        new Check(
            "hello",
            "the first frame answers hello with version 1, the worker's pid, its language and"
                + " the registered task names (initializers not listed)",
            HandshakeChecks::hello),
        new Check(
            "hello-first",
            "a first frame that is not hello is a malformed stream: exit 2, nothing written",
            HandshakeChecks::helloFirst),
        new Check(
            "version-mismatch",
            "a hello of another version is not answered, and the worker exits 3",
            HandshakeChecks::versionMismatch),
        new Check(
            "malformed-frame",
            "bytes that are not a frame on stdin make the worker exit 2",
            HandshakeChecks::malformedFrame));
  }

  private static void hello(Workers workers) throws CheckFailed {
    WorkerUnderTest worker = workers.start();
    FromWorker.Hello hello =
        worker.hello(workers.heartbeatMillis(), FrameCodec.DEFAULT_MAX_FRAME_BYTES);
    Expect.equal(FrameCodec.VERSION, hello.version(), "version");
    Expect.that(
        hello.pid() == worker.pid(),
        "pid: expected the process's pid %d, got %d (is the worker started through a wrapper"
            + " that does not exec?)",
        worker.pid(),
        hello.pid());
    Expect.that(
        hello.language() != null && !hello.language().isBlank(),
        "language: got %s",
        hello.language());
    List<String> missing = new ArrayList<>(Tasks.ALL);
    missing.removeAll(hello.tasks());
    Expect.that(
        missing.isEmpty(),
        "tasks: the conformance tasks %s are missing from %s",
        missing,
        hello.tasks());
    Expect.that(
        !hello.tasks().contains(Tasks.INITIALIZER),
        "tasks: the initializer '%s' must not be listed: %s",
        Tasks.INITIALIZER,
        hello.tasks());
  }

  private static void helloFirst(Workers workers) throws CheckFailed {
    WorkerUnderTest worker = workers.start();
    worker.send(task("t1", Tasks.ECHO, "before hello"));
    Expect.equal(2, worker.awaitExit(EXIT_TIMEOUT), "exit code");
    Expect.equal(List.of(), worker.rest(), "frames written");
  }

  private static void versionMismatch(Workers workers) throws CheckFailed {
    WorkerUnderTest worker = workers.start();
    worker.send(
        new ToWorker.Hello(
            FrameCodec.VERSION + 1,
            "conformance",
            "w1",
            FrameCodec.DEFAULT_MAX_FRAME_BYTES,
            workers.heartbeatMillis()));
    Expect.equal(3, worker.awaitExit(EXIT_TIMEOUT), "exit code");
    Expect.equal(List.of(), worker.rest(), "frames written");
  }

  private static void malformedFrame(Workers workers) throws CheckFailed {
    WorkerUnderTest worker = workers.started();
    worker.sendRaw("this is not a frame\n".getBytes(StandardCharsets.UTF_8));
    Expect.equal(2, worker.awaitExit(EXIT_TIMEOUT), "exit code");
  }
}
