package dev.kpool.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kpool.protocol.ContentType;
import dev.kpool.protocol.RemoteError;
import dev.kpool.protocol.frame.FrameCodec;
import dev.kpool.protocol.frame.FromWorker;
import dev.kpool.protocol.frame.ToWorker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkerTest {
  private static final String JSON = ContentType.JSON.mime();
  private static final long NO_HEARTBEATS = 60_000;

  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicReference<String> loaded = new AtomicReference<>();
  private final Worker worker =
      Worker.builder()
          .task("square", Integer.class, x -> x * x)
          .task("fail-on-3", Integer.class, WorkerTest::failOnThree)
          .task("blocking", String.class, this::block)
          .task("fan-out", Integer.class, WorkerTest::fanOut)
          .task("big", Integer.class, n -> "x".repeat(n))
          .task("refuse", String.class, WorkerTest::refuse)
          .bytesTask("echo-bytes", bytes -> bytes)
          .initializer("load", String.class, loaded::set)
          .initializer("broken-init", String.class, WorkerTest::brokenInit)
          .build();
  private InProcessWorker session;

  @AfterEach
  void closePipes() throws Exception {
    if (session != null) {
      session.close();
    }
  }

  @Test
  void helloAnswerListsTaskNamesAndPid() throws Exception {
    FromWorker.Hello hello = start().peer.hello(NO_HEARTBEATS);

    assertEquals(FrameCodec.VERSION, hello.version());
    assertEquals(ProcessHandle.current().pid(), hello.pid());
    assertEquals("java", hello.language());
    assertEquals(
        List.of("square", "fail-on-3", "blocking", "fan-out", "big", "refuse", "echo-bytes"),
        hello.tasks());
  }

  @Test
  void squaresSeven() throws Exception {
    FramePeer peer = started();
    peer.send(task("t1", "square", IntNode.valueOf(7)));

    FromWorker.Result result = peer.nextResult();
    assertEquals("t1", result.id());
    assertEquals(List.of(IntNode.valueOf(49)), result.results());
    assertNull(result.error());
  }

  @Test
  void chunkStopsAtTheFirstFailingItemAndReportsItsIndex() throws Exception {
    FramePeer peer = started();
    List<JsonNode> items = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      items.add(IntNode.valueOf(i));
    }
    peer.send(new ToWorker.Task("c1", "fail-on-3", JSON, items, 1, 0));

    FromWorker.Result result = peer.nextResult();
    assertEquals(
        List.of(IntNode.valueOf(0), IntNode.valueOf(1), IntNode.valueOf(2)), result.results());
    assertEquals(3, result.error().index());
    assertEquals(ArithmeticException.class.getName(), result.error().type());
    assertEquals("three", result.error().message());
    assertTrue(result.error().retryable(), "ordinary exceptions are left to the retry policy");
    assertTrue(result.error().stack().contains("failOnThree"), result.error().stack());
  }

  @Test
  void unknownTaskIsReportedAndTheWorkerKeepsServing() throws Exception {
    FramePeer peer = started();
    peer.send(task("t1", "rm -rf /", IntNode.valueOf(1)));

    RemoteError error = peer.nextResult().error();
    assertEquals(RemoteError.UNKNOWN_TASK, error.type());
    assertFalse(error.retryable());

    peer.send(task("t2", "square", IntNode.valueOf(3)));
    assertEquals(List.of(IntNode.valueOf(9)), peer.nextResult().results());
  }

  @Test
  void argumentOfTheWrongShapeIsANonRetryableBadArgument() throws Exception {
    FramePeer peer = started();
    peer.send(task("t1", "square", TextNode.valueOf("seven")));

    RemoteError error = peer.nextResult().error();
    assertEquals("kpool.BadArgument", error.type());
    assertFalse(error.retryable());
    assertTrue(error.message().contains("'square'"), error.message());
    assertTrue(error.message().contains("java.lang.Integer"), error.message());
  }

  @Test
  void initializerRunsAndItsFailureIsReported() throws Exception {
    FramePeer peer = started();
    peer.send(new ToWorker.Init("i1", "load", TextNode.valueOf("model-v2")));
    FromWorker.Result ok = peer.nextResult();
    assertEquals("i1", ok.id());
    assertNull(ok.error());
    assertEquals("model-v2", loaded.get());

    peer.send(new ToWorker.Init("i2", "broken-init", TextNode.valueOf("x")));
    RemoteError error = peer.nextResult().error();
    assertEquals(IllegalStateException.class.getName(), error.type());
    assertEquals("no model here", error.message());

    peer.send(new ToWorker.Init("i3", "square", IntNode.valueOf(1)));
    assertEquals(RemoteError.UNKNOWN_TASK, peer.nextResult().error().type());
  }

  @Test
  void wrappersSetRetryabilityAndReportTheCauseType() throws Exception {
    FramePeer peer = started();
    peer.send(task("t1", "refuse", TextNode.valueOf("non-retryable")));
    RemoteError refused = peer.nextResult().error();
    assertEquals(NumberFormatException.class.getName(), refused.type());
    assertEquals("not a number", refused.message());
    assertFalse(refused.retryable());

    peer.send(task("t2", "refuse", TextNode.valueOf("retryable")));
    RemoteError retry = peer.nextResult().error();
    assertEquals(RetryableTaskException.class.getName(), retry.type());
    assertTrue(retry.retryable());
  }

  @Test
  void bytesTaskRoundTripsAsBase64() throws Exception {
    FramePeer peer = started();
    byte[] payload = {0, 1, 2, (byte) 0xff, 'k', 'p'};
    String base64 = Base64.getEncoder().encodeToString(payload);
    peer.send(
        new ToWorker.Task(
            "b1", "echo-bytes", ContentType.BYTES.mime(), List.of(TextNode.valueOf(base64)), 1, 0));

    FromWorker.Result result = peer.nextResult();
    assertNull(result.error());
    assertEquals(base64, result.results().get(0).textValue());
  }

  @Test
  void jsonTaskRefusesOctetStreamItems() throws Exception {
    FramePeer peer = started();
    String base64 = Base64.getEncoder().encodeToString("7".getBytes(StandardCharsets.UTF_8));
    peer.send(
        new ToWorker.Task(
            "b1", "square", ContentType.BYTES.mime(), List.of(TextNode.valueOf(base64)), 1, 0));

    assertEquals("kpool.BadArgument", peer.nextResult().error().type());
  }

  @Test
  void heartbeatsArriveWhileASlowTaskRuns() throws Exception {
    FramePeer peer = start().peer;
    peer.hello(50);
    peer.send(task("slow", "blocking", TextNode.valueOf("wait")));

    assertEquals("slow", peer.next(FromWorker.Heartbeat.class).id());
    assertEquals("slow", peer.next(FromWorker.Heartbeat.class).id());
    release.countDown();
    assertEquals(List.of(TextNode.valueOf("done")), peer.nextResult().results());
  }

  @Test
  void taskCanSubmitFollowUpTasksBeforeItsResult() throws Exception {
    FramePeer peer = started();
    peer.send(task("parent", "fan-out", IntNode.valueOf(3)));

    FromWorker.Submit first = peer.next(FromWorker.Submit.class);
    assertEquals("parent", first.parent());
    assertEquals("square", first.task());
    assertEquals(IntNode.valueOf(0), first.args());
    assertNull(first.pool());
    assertNull(first.id());
    FromWorker.Submit second = peer.next(FromWorker.Submit.class);
    assertEquals("other-pool", second.pool());
    assertEquals("key-1", second.key());
    FromWorker.Submit third = peer.next(FromWorker.Submit.class);
    assertEquals("square", third.task());
    assertEquals("host-a", third.key());
    assertEquals("http://host-a/p/2", third.id());
    assertEquals("parent", peer.next(FromWorker.Result.class).id());
  }

  @Test
  void resultOverTheFrameLimitIsReportedForThatItem() throws Exception {
    FramePeer peer = start().peer;
    peer.send(new ToWorker.Hello(FrameCodec.VERSION, "p", "w1", 4096, NO_HEARTBEATS));
    peer.next(FromWorker.Hello.class);
    List<JsonNode> items =
        List.of(IntNode.valueOf(10), IntNode.valueOf(10_000), IntNode.valueOf(1));
    peer.send(new ToWorker.Task("t1", "big", JSON, items, 1, 0));

    FromWorker.Result result = peer.nextResult();
    assertEquals(List.of(TextNode.valueOf("x".repeat(10))), result.results());
    assertEquals("kpool.ResultTooLarge", result.error().type());
    assertEquals(1, result.error().index());
    assertFalse(result.error().retryable());

    peer.send(task("t2", "square", IntNode.valueOf(2)));
    assertEquals(List.of(IntNode.valueOf(4)), peer.nextResult().results());
  }

  @Test
  void shutdownFinishesTheCurrentTaskThenExitsZero() throws Exception {
    FramePeer peer = started();
    peer.send(task("t1", "blocking", TextNode.valueOf("wait")));
    assertTrue(started.await(5, TimeUnit.SECONDS));
    peer.send(new ToWorker.Shutdown());
    peer.send(task("t2", "square", IntNode.valueOf(2)));
    assertFalse(session.exited(), "shutdown waits for the running task");

    release.countDown();
    assertEquals("t1", peer.nextResult().id());
    assertEquals(0, session.exitCode());
    assertEquals(List.of(), session.framesAfterExit(), "no result for a task sent after shutdown");
  }

  @Test
  void endOfStdinEndsTheSessionPromptlyWhileATaskIsBlocked() throws Exception {
    FramePeer peer = started();
    peer.send(task("t1", "blocking", TextNode.valueOf("forever")));
    assertTrue(started.await(5, TimeUnit.SECONDS));

    peer.closeInput();

    await().atMost(Duration.ofSeconds(5)).until(session::exited);
    assertEquals(0, session.exitCode());
    assertTrue(session.haltedAtEndOfInput(), "a worker process halts at end of stdin");
  }

  @Test
  void versionMismatchExitsThreeWithoutAnswering() throws Exception {
    FramePeer peer = start().peer;
    peer.send(new ToWorker.Hello(FrameCodec.VERSION + 1, "p", "w1", 1 << 20, NO_HEARTBEATS));

    assertEquals(3, session.exitCode());
    assertEquals(List.of(), session.framesAfterExit());
  }

  @Test
  void malformedFrameExitsTwo() throws Exception {
    FramePeer peer = started();
    peer.sendRaw("this is not a frame\n".getBytes(StandardCharsets.UTF_8));

    assertEquals(2, session.exitCode());
  }

  @Test
  void builderRefusesANameRegisteredTwice() {
    var builder = Worker.builder().task("square", Integer.class, x -> x * x);
    assertThrows(
        IllegalArgumentException.class, () -> builder.initializer("square", String.class, s -> {}));
    assertThrows(IllegalStateException.class, () -> Worker.builder().build());
  }

  private InProcessWorker start() throws Exception {
    session = InProcessWorker.start(worker);
    return session;
  }

  private FramePeer started() throws Exception {
    FramePeer peer = start().peer;
    peer.hello(NO_HEARTBEATS);
    return peer;
  }

  private static ToWorker.Task task(String id, String name, JsonNode item) {
    return new ToWorker.Task(id, name, JSON, List.of(item), 1, 0);
  }

  private static int failOnThree(int x) {
    if (x == 3) {
      throw new ArithmeticException("three");
    }
    return x;
  }

  private String block(String how) throws InterruptedException {
    started.countDown();
    release.await();
    return "done";
  }

  private static String fanOut(int n, TaskContext context) {
    for (int i = 0; i < n; i++) {
      if (i == 0) {
        context.submit("square", i);
      } else if (i == 1) {
        context.submit("other-pool", "square", i, "key-" + i);
      } else {
        context.submit(FollowUp.of("square", i).key("host-a").id("http://host-a/p/" + i));
      }
    }
    return context.taskId();
  }

  private static String refuse(String how) {
    var cause = new NumberFormatException("not a number");
    if (how.equals("retryable")) {
      throw new RetryableTaskException("try again later");
    }
    throw new NonRetryableTaskException(cause);
  }

  private static void brokenInit(String arg) {
    throw new IllegalStateException("no model here");
  }
}
