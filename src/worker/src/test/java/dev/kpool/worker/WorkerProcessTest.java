package dev.kpool.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kpool.protocol.ContentType;
import dev.kpool.protocol.frame.FromWorker;
import dev.kpool.protocol.frame.ToWorker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real worker JVM, spoken to over its real stdin and stdout. */
class WorkerProcessTest {
  @TempDir Path dir;
  private Process process;

  @AfterEach
  void killTheWorker() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  @Test
  void answersOverRealPipesAndExitsWhenStdinCloses() throws Exception {
    Path log = dir.resolve("worker.log");
    FramePeer peer = start(log);

    FromWorker.Hello hello = peer.hello(60_000);
    assertEquals(process.pid(), hello.pid());
    assertEquals(List.of("square", "noisy", "hang"), hello.tasks());

    peer.send(task("t1", "square", IntNode.valueOf(7)));
    assertEquals(List.of(IntNode.valueOf(49)), peer.nextResult().results());

    peer.send(task("t2", "noisy", TextNode.valueOf("abc")));
    assertEquals(List.of(TextNode.valueOf("abc")), peer.nextResult().results());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> Files.readString(log).contains("printed by the task: abc"));

    peer.closeInput();
    assertTrue(process.waitFor(5, TimeUnit.SECONDS), "worker still alive 5 s after stdin closed");
    assertEquals(0, process.exitValue());
  }

  @Test
  void exitsWhenStdinClosesEvenWhileATaskHangs() throws Exception {
    FramePeer peer = start(dir.resolve("worker.log"));
    peer.hello(100);
    peer.send(task("t1", "hang", TextNode.valueOf("forever")));
    assertEquals("t1", peer.next(FromWorker.Heartbeat.class).id());

    peer.closeInput();

    assertTrue(process.waitFor(5, TimeUnit.SECONDS), "a hung task kept the worker alive");
  }

  private FramePeer start(Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process =
        new ProcessBuilder(
                java,
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                WorkerProcessMain.class.getName())
            .redirectError(log.toFile())
            .start();
    return new FramePeer(process.getOutputStream(), process.getInputStream());
  }

  private static ToWorker.Task task(String id, String name, JsonNode item) {
    return new ToWorker.Task(id, name, ContentType.JSON.mime(), List.of(item), 1, 0);
  }
}
