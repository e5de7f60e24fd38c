package dev.kpool.conformance.internal;

import static dev.kpool.conformance.internal.Frames.json;
import static dev.kpool.conformance.internal.Frames.task;

import dev.kpool.protocol.RemoteError;
import dev.kpool.protocol.frame.FromWorker;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Failures and how they are reported: docs/protocol.md "Error kinds the SDKs report". */
final class ErrorChecks {
  private static final int SMALL_FRAMES = 4096;

  private ErrorChecks() {}

  static List<Check> all() {
    return List.of(
        new Check(
            "error-fields",
            "a task's exception is reported with its type, message and stack, retryable, at"
                + " index 0",
            ErrorChecks::errorFields),
        new Check(
            "non-retryable-error",
            "the SDK's non-retryable exception is reported with retryable false",
            ErrorChecks::nonRetryable),
        new Check(
            "unknown-task",
            "an unregistered task name is answered with kpool.UnknownTask, and the worker keeps"
                + " serving",
            ErrorChecks::unknownTask),
        new Check(
            "bytes-to-json-task",
            "a JSON task given application/octet-stream fails with kpool.BadArgument",
            ErrorChecks::bytesToJsonTask),
        new Check(
            "result-too-large",
            "a result over maxFrameBytes becomes kpool.ResultTooLarge with the prefix that fits,"
                + " and the worker keeps serving",
            ErrorChecks::resultTooLarge));
  }

  private static void errorFields(Workers workers) throws CheckFailed {
    WorkerUnderTest worker = workers.started();
    worker.send(task("fail-1", Tasks.FAIL, "conformance failure"));
    FromWorker.Result result = worker.result("fail-1");
    Expect.equal(List.of(), result.results(), "results");
    RemoteError error = result.error();
    Expect.that(error != null, "error: expected one, got null");
    Expect.that(
        !error.type().isBlank() && !error.type().startsWith("kpool."),
        "error.type: expected the exception's own type, got '%s'",
        error.type());
    Expect.equal("conformance failure", error.message(), "error.message");
    Expect.that(!error.stack().isBlank(), "error.stack: expected the stack text, got nothing");
    Expect.equal(true, error.retryable(), "error.retryable of an ordinary exception");
    Expect.equal(0, error.index(), "error.index");
  }

  private static void nonRetryable(Workers workers) throws CheckFailed {
    WorkerUnderTest worker = workers.started();
    worker.send(task("refuse-1", Tasks.FAIL_NON_RETRYABLE, "refused"));
    RemoteError error = worker.result("refuse-1").error();
    Expect.that(error != null, "error: expected one, got null");
    Expect.equal(false, error.retryable(), "error.retryable");
    Expect.equal("refused", error.message(), "error.message");
  }

  private static void unknownTask(Workers workers) throws CheckFailed {
    WorkerUnderTest worker = workers.started();
    worker.send(task("unknown-1", "no-such-task", 1));
    FromWorker.Result result = worker.result("unknown-1");
    Expect.equal(List.of(), result.results(), "results");
    expectKpoolError(result.error(), RemoteError.UNKNOWN_TASK, 0);
    worker.send(task("after-unknown", Tasks.ECHO, "still serving"));
    Expect.equal(
        List.of(json("still serving")), worker.result("after-unknown").results(), "next results");
  }

  private static void bytesToJsonTask(Workers workers) throws CheckFailed {
    WorkerUnderTest worker = workers.started();
    String base64 = Base64.getEncoder().encodeToString("\"text\"".getBytes(StandardCharsets.UTF_8));
    worker.send(Frames.bytesTask("bytes-to-echo", Tasks.ECHO, base64));
    expectKpoolError(worker.result("bytes-to-echo").error(), RemoteError.BAD_ARGUMENT, 0);
  }

  private static void resultTooLarge(Workers workers) throws CheckFailed {
    WorkerUnderTest worker = workers.start();
    worker.hello(workers.heartbeatMillis(), SMALL_FRAMES);
    worker.send(task("big-1", Tasks.BIG, 10, 10_000, 1));
    Received received;
    do {
      received = worker.nextReceived();
    } while (received.frame() instanceof FromWorker.Heartbeat);
    Expect.that(
        received.frame() instanceof FromWorker.Result,
        "expected the result of big-1, got %s",
        received.frame());
    Expect.that(
        received.length() <= SMALL_FRAMES,
        "the result frame is %d bytes, over the maxFrameBytes of %d",
        received.length(),
        SMALL_FRAMES);
    FromWorker.Result result = (FromWorker.Result) received.frame();
    Expect.equal("big-1", result.id(), "result id");
    Expect.equal(List.of(json("x".repeat(10))), result.results(), "results that fit");
    expectKpoolError(result.error(), RemoteError.RESULT_TOO_LARGE, 1);
    worker.send(task("after-big", Tasks.ECHO, "still serving"));
    Expect.equal(
        List.of(json("still serving")), worker.result("after-big").results(), "next results");
  }

  private static void expectKpoolError(RemoteError error, String type, int index)
      throws CheckFailed {
    Expect.that(error != null, "error: expected %s, got null", type);
    Expect.equal(type, error.type(), "error.type");
    Expect.equal(false, error.retryable(), "error.retryable");
    Expect.equal(index, error.index(), "error.index");
    Expect.equal("", error.stack(), "error.stack of a kpool error");
  }
}
