package dev.kpool.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kpool.protocol.ContentType;
import dev.kpool.protocol.frame.ToWorker;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Runs a worker on this JVM's System.in and System.out, as a worker process does. */
class StdoutCaptureTest {

  @Test
  void printlnInsideATaskGoesToTheLogNotToTheFrameStream() throws Exception {
    Pipe stdin = Pipe.open();
    Pipe stdout = Pipe.open();
    var log = new ByteArrayOutputStream();
    var taskSawOut = new AtomicReference<PrintStream>();
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    InputStream savedIn = System.in;
    System.setIn(Channels.newInputStream(stdin.source()));
    System.setOut(new PrintStream(Channels.newOutputStream(stdout.sink()), true));
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      Worker noisy =
          Worker.builder()
              .task(
                  "noisy",
                  String.class,
                  s -> {
                    System.out.println("printed by the task: " + s);
                    taskSawOut.set(System.out);
                    return s.length();
                  })
              .build();
      var exit = new CompletableFuture<Integer>();
      Thread session = new Thread(() -> exit.complete(noisy.runOnStandardStreams(() -> {})));
      session.setDaemon(true);
      session.start();
      var peer =
          new FramePeer(
              Channels.newOutputStream(stdin.sink()), Channels.newInputStream(stdout.source()));

      peer.hello(60_000);
      peer.send(
          new ToWorker.Task(
              "t1", "noisy", ContentType.JSON.mime(), List.of(TextNode.valueOf("abc")), 1, 0));

      assertEquals(List.of(IntNode.valueOf(3)), peer.nextResult().results());
      assertTrue(log.toString(StandardCharsets.UTF_8).contains("printed by the task: abc"));
      assertSame(System.err, taskSawOut.get(), "System.out is the log while the worker runs");
      peer.closeInput();
      assertEquals(0, exit.get(FramePeer.TIMEOUT_SECONDS, TimeUnit.SECONDS));
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
      System.setIn(savedIn);
      stdout.sink().close();
      stdin.source().close();
    }
  }
}
