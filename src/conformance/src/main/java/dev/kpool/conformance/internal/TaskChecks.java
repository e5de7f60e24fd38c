package dev.kpool.conformance.internal;

import static dev.kpool.conformance.internal.Frames.json;
import static dev.kpool.conformance.internal.Frames.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.RemoteError;
import dev.kpool.protocol.frame.FromWorker;
import java.io.IOException;
import java.util.Base64;
import java.util.List;

/**
 * Tasks that run: docs/protocol.md "Session" 2, 3 and 5, "Chunks", "Content types", "Transport".
 */
final class TaskChecks {
  /** Strings, escapes, non-ASCII text, big and negative numbers, nesting: what JSON can carry. */
  private static final String ECHO_VALUE =
      "{\"text\":\"h\u00e9llo \u2713 \\\"quoted\\\"\\n\\u0000\",\"n\":42,\"neg\":-7,"
          + "\"big\":12345678901234,\"f\":1.5,\"t\":true,\"nil\":null,"
          + "\"list\":[1,\"two\",[3]],\"empty\":{}}";

  private TaskChecks() {}

  static List<Check> all() {
    return List.of(
        new Check(
            "echo",
            "a task frame is answered by one result with the same id and the task's value",
            TaskChecks::echo),
        new Check(
            "chunk-error-index",
            "a chunk stops at the first failing item: results of the items before it, and"
                + " error.index naming it",
            TaskChecks::chunkErrorIndex),
        new Check(
            "queued-frames-in-order",
            "frames received while a task runs are run after it, in order",
            TaskChecks::queuedInOrder),
        new Check(
            "stdout-clean",
            "a task's print goes to stderr, never into the frame stream on stdout",
            TaskChecks::stdoutClean),
        new Check(
            "bytes-round-trip",
            "an application/octet-stream item arrives as bytes and the bytes result goes back as"
                + " base64",
            TaskChecks::bytesRoundTrip),
        new Check(
            "submit",
            "a follow-up task's submit frame carries the parent's id and comes before the"
                + " parent's result",
            TaskChecks::submit),
        new Check(
            "initializer",
            "an init frame runs the named initializer and is answered with results [] and error"
                + " null, or its failure; an unknown one with kpool.UnknownTask",
            TaskChecks::initializer));
  }

  private static void echo(Workers workers) throws Exception {
    WorkerUnderTest worker = workers.started();
    JsonNode value = parse(ECHO_VALUE);
    worker.send(task("echo-1", Tasks.ECHO, value));
    FromWorker.Result result = worker.result("echo-1");
    Expect.equal(null, result.error(), "error");
    Expect.equal(List.of(value), result.results(), "results");
  }

  private static void chunkErrorIndex(Workers workers) throws CheckFailed {
    WorkerUnderTest worker = workers.started();
    worker.send(task("chunk-1", Tasks.FAIL, 10, 11, "item 2 fails", 13));
    FromWorker.Result result = worker.result("chunk-1");
    Expect.equal(List.of(json(10), json(11)), result.results(), "results before the failure");
    Expect.that(result.error() != null, "error: expected one at item 2, got null");
    Expect.equal(2, result.error().index(), "error.index");
    Expect.equal("item 2 fails", result.error().message(), "error.message");
  }

  private static void queuedInOrder(Workers workers) throws CheckFailed {
    WorkerUnderTest worker = workers.started();
    worker.send(task("first", Tasks.SLEEP, 200));
    worker.send(task("second", Tasks.ECHO, "b"));
    worker.send(task("third", Tasks.ECHO, "c"));
    Expect.equal(List.of(json(200)), worker.result("first").results(), "first results");
    Expect.equal(List.of(json("b")), worker.result("second").results(), "second results");
    Expect.equal(List.of(json("c")), worker.result("third").results(), "third results");
  }

  private static void stdoutClean(Workers workers) throws CheckFailed {
    WorkerUnderTest worker = workers.started();
    // "hell" as a length is 1751477356: a print that reaches stdout cannot pass for a frame.
    String text = "hello from a task's print";
    worker.send(task("print-1", Tasks.PRINT, text));
    Expect.equal(List.of(json(text)), worker.result("print-1").results(), "print results");
    worker.send(task("echo-after-print", Tasks.ECHO, "still framed"));
    Expect.equal(
        List.of(json("still framed")), worker.result("echo-after-print").results(), "echo results");
  }

  private static void bytesRoundTrip(Workers workers) throws CheckFailed {
    WorkerUnderTest worker = workers.started();
    byte[] every = new byte[256];
    for (int i = 0; i < every.length; i++) {
      every[i] = (byte) i;
    }
    String base64 = Base64.getEncoder().encodeToString(every);
    worker.send(Frames.bytesTask("bytes-1", Tasks.ECHO_BYTES, base64));
    FromWorker.Result result = worker.result("bytes-1");
    Expect.equal(null, result.error(), "error");
    Expect.equal(List.of(json(base64)), result.results(), "results (all 256 byte values)");
  }

  private static void submit(Workers workers) throws CheckFailed {
    WorkerUnderTest worker = workers.started();
    worker.send(task("parent-1", Tasks.SUBMIT, "follow-up"));
    FromWorker frame;
    do {
      frame = worker.next();
    } while (frame instanceof FromWorker.Heartbeat);
    Expect.that(
        frame instanceof FromWorker.Submit,
        "expected a submit frame before the result, got %s",
        frame);
    FromWorker.Submit submit = (FromWorker.Submit) frame;
    Expect.equal("parent-1", submit.parent(), "submit.parent");
    Expect.equal(Tasks.ECHO, submit.task(), "submit.task");
    Expect.equal(json("follow-up"), submit.args(), "submit.args");
    Expect.equal(null, submit.pool(), "submit.pool");
    Expect.equal(null, submit.key(), "submit.key");
    Expect.equal(List.of(json("follow-up")), worker.result("parent-1").results(), "results");
  }

  private static void initializer(Workers workers) throws Exception {
    WorkerUnderTest worker = workers.started();
    JsonNode args = parse("{\"model\":\"v2\",\"size\":3}");
    worker.send(Frames.init("init-1", Tasks.INITIALIZER, args));
    FromWorker.Result ok = worker.result("init-1");
    Expect.equal(null, ok.error(), "init error");
    Expect.equal(List.of(), ok.results(), "init results");
    worker.send(task("read-init", Tasks.INIT_ARG, (Object) null));
    Expect.equal(List.of(args), worker.result("read-init").results(), "what the initializer got");

    worker.send(Frames.init("init-2", Tasks.INITIALIZER, "initializer fails"));
    FromWorker.Result failed = worker.result("init-2");
    Expect.that(failed.error() != null, "a failing initializer: expected an error, got null");
    Expect.equal("initializer fails", failed.error().message(), "failed init error.message");
    Expect.equal(List.of(), failed.results(), "failed init results");

    worker.send(Frames.init("init-3", "no-such-initializer", null));
    RemoteError unknown = worker.result("init-3").error();
    Expect.equal(RemoteError.UNKNOWN_TASK, unknown == null ? null : unknown.type(), "error.type");
  }

  private static JsonNode parse(String json) throws IOException {
    return ProtocolJson.mapper().readTree(json);
  }
}
