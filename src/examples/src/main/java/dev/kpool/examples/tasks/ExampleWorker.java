package dev.kpool.examples.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kpool.worker.FollowUp;
import dev.kpool.worker.NonRetryableTaskException;
import dev.kpool.worker.TaskContext;
import dev.kpool.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

/**
 * The worker process of the examples, the demo and the end-to-end tests: the {@code square} of
 * Python's Pool documentation and a few tasks that show typed values, failures and timeouts.
 */
public final class ExampleWorker {
  private ExampleWorker() {}

  /** The argument and result of {@code mirror}: a record travels as a JSON object. */
  public record Point(int x, int y) {}

  /** The argument of {@code tree}. */
  public record TreeArgs(String path, int depth, int width) {}

  /**
   * The argument of {@code take}: the file holding a shared counter, and how long the task waits
   * between reading it and writing it back less one.
   */
  public record Take(String counter, long millis) {}

  /** The result of {@code take}: the value it read, and when and where it ran. */
  public record Taken(long seen, long start, long end, long pid) {}

  /** The registered tasks; also used in-process by tests. */
  public static Worker worker() {
    return Worker.builder()
        .task("square", Integer.class, x -> x * x)
        .task(
            "add",
            List.class,
            pair -> ((Number) pair.get(0)).intValue() + ((Number) pair.get(1)).intValue())
        .task("pid", Integer.class, ignored -> ProcessHandle.current().pid())
        .task(
            "sleep",
            Long.class,
            millis -> {
              Thread.sleep(millis);
              return millis;
            })
        .task(
            "fail",
            String.class,
            message -> {
              throw new NonRetryableTaskException(new IllegalArgumentException(message));
            })
        // square, but a negative input raises: one bad item in the middle of a map
        .task(
            "strict-square",
            Integer.class,
            x -> {
              if (x < 0) {
                throw new NonRetryableTaskException(
                    new IllegalArgumentException("negative input: " + x));
              }
              return x * x;
            })
        // read-modify-write of a counter shared by every worker: the race that a Lock prevents
        .task("take", Take.class, ExampleWorker::take)
        .task("mirror", Point.class, p -> new Point(p.y(), p.x()))
        .task("words", String.class, text -> Arrays.asList(text.trim().split("\\s+")))
        .task("echo", JsonNode.class, node -> node)
        // a full tree: node "<path>" at depth d submits `width` children until depth 0
        .task("tree", TreeArgs.class, ExampleWorker::tree)
        // a graph of pages 0..n-1, each linking to two others: every page is reached many times
        // but, with its number as the follow-up id, runs once
        .task("link", List.class, ExampleWorker::link)
        .bytesTask(
            "reverse",
            bytes -> {
              byte[] out = new byte[bytes.length];
              for (int i = 0; i < bytes.length; i++) {
                out[i] = bytes[bytes.length - 1 - i];
              }
              return out;
            })
        .build();
  }

  private static String tree(TreeArgs node, TaskContext ctx) {
    if (node.depth() > 0) {
      for (int i = 0; i < node.width(); i++) {
        ctx.submit(
            FollowUp.of(
                "tree", new TreeArgs(node.path() + "." + i, node.depth() - 1, node.width())));
      }
    }
    return node.path();
  }

  private static Taken take(Take take) throws IOException, InterruptedException {
    long start = System.currentTimeMillis();
    Path counter = Path.of(take.counter());
    long seen = Long.parseLong(Files.readString(counter).trim());
    Thread.sleep(take.millis());
    // Replaced whole, so a concurrent reader sees the old value or the new, never a torn one.
    Path next = Files.createTempFile(counter.toAbsolutePath().getParent(), "take", ".tmp");
    Files.writeString(next, Long.toString(seen - 1));
    Files.move(next, counter, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new Taken(seen, start, System.currentTimeMillis(), ProcessHandle.current().pid());
  }

  /** Page {@code page} of {@code pages}, linking to pages 2p+1 and 3p+2 (mod pages). */
  private static int link(List<?> pageAndPages, TaskContext ctx) {
    int page = ((Number) pageAndPages.get(0)).intValue();
    int pages = ((Number) pageAndPages.get(1)).intValue();
    for (int next : new int[] {(2 * page + 1) % pages, (3 * page + 2) % pages}) {
      ctx.submit(FollowUp.of("link", List.of(next, pages)).id("page-" + next));
    }
    return page;
  }

  public static void main(String[] args) {
    worker().runAndExit();
  }
}
