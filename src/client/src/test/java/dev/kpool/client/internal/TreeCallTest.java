package dev.kpool.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.kpool.client.AsyncTree;
import dev.kpool.client.Pool;
import dev.kpool.client.PoolClosedException;
import dev.kpool.client.Task;
import dev.kpool.client.TaskFailedException;
import dev.kpool.client.TreeNode;
import dev.kpool.client.TreeSummary;
import dev.kpool.protocol.RemoteError;
import dev.kpool.protocol.Reply;
import dev.kpool.protocol.ReplyStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Trees of follow-up tasks against Kafka's mock clients: when a tree is done, and what it saw. */
class TreeCallTest {
  private static final String POOL = "unit";
  private static final Task<Integer, Integer> CRAWL =
      Task.of("crawl", Integer.class, Integer.class);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final FakeKafka kafka = new FakeKafka("c-tree");
  private final List<TreeNode> seen = new CopyOnWriteArrayList<>();
  private KafkaPool pool;

  private AsyncTree submit() {
    KafkaPool.Settings settings =
        new KafkaPool.Settings(
            "fake:9092",
            POOL,
            "c-tree",
            false,
            100,
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            null,
            Pool.DEFAULT_MAX_TASK_BYTES,
            1,
            Duration.ofMillis(2),
            null,
            Map.of());
    pool = KafkaPool.start(settings, kafka.clients());
    return pool.applyTree(CRAWL, 1, seen::add);
  }

  private static Reply reply(String id, String root, String parent, List<String> children) {
    return Reply.ok(id, List.of(IntNode.valueOf(id.length())), 7, 1, 1)
        .inTree("crawl", new Reply.Tree(root, parent, children));
  }

  @AfterEach
  void terminate() {
    if (pool != null) {
      pool.terminate();
    }
  }

  @Test
  void treeCompletesOnlyWhenEveryChildNamedByAnyReplyHasReplied() {
    AsyncTree tree = submit();
    String root = tree.taskId();
    kafka.reply(reply(root, root, null, List.of(root + "/a", root + "/b")));
    kafka.reply(reply(root + "/a", root, root, List.of(root + "/c")));
    kafka.reply(reply(root + "/b", root, root, List.of()));
    assertFalse(tree.await(Duration.ofMillis(300)), "c has not replied");
    assertEquals(3, tree.tasksDone());
    assertEquals(4, tree.tasksKnown());

    kafka.reply(reply(root + "/c", root, root + "/a", List.of()));
    assertEquals(new TreeSummary(4, 4, 0), tree.get(WAIT));
    assertEquals(4, seen.size(), "the listener saw every task before the tree completed");
    assertNull(seen.get(0).parentId());
    assertEquals(root + "/a", seen.get(3).parentId());
    assertEquals(List.of(root + "/a", root + "/b"), seen.get(0).childIds());
  }

  @Test
  void childReplyArrivingBeforeItsParentsIsCountedOnce() {
    AsyncTree tree = submit();
    String root = tree.taskId();
    kafka.reply(reply(root + "/a", root, root, List.of()));
    kafka.reply(reply(root + "/a", root, root, List.of()));
    kafka.reply(reply(root, root, null, List.of(root + "/a")));
    assertEquals(new TreeSummary(2, 2, 0), tree.get(WAIT));
    assertEquals(2, seen.size(), "a duplicate reply reaches the listener once");
  }

  @Test
  void failedTaskIsReportedButDoesNotFailTheTree() {
    AsyncTree tree = submit();
    String root = tree.taskId();
    kafka.reply(reply(root, root, null, List.of(root + "/x")));
    RemoteError boom = new RemoteError("ValueError", "bad page", "Traceback ...", false, 0);
    kafka.reply(
        Reply.failed(root + "/x", ReplyStatus.ERROR, List.of(), boom, 7, 1, 1)
            .inTree("crawl", new Reply.Tree(root, root, List.of())));
    assertEquals(new TreeSummary(2, 1, 1), tree.get(WAIT));
    TreeNode failed = seen.get(1);
    assertFalse(failed.succeeded());
    TaskFailedException e = assertThrows(TaskFailedException.class, () -> failed.result(CRAWL));
    assertEquals("ValueError", e.remoteType());
    assertInstanceOf(TaskFailedException.class, failed.failure().orElseThrow());
    assertEquals(root.length(), seen.get(0).result(CRAWL));
  }

  @Test
  void closingThePoolFailsAnUnfinishedTree() {
    AsyncTree tree = submit();
    String root = tree.taskId();
    kafka.reply(reply(root, root, null, List.of(root + "/a")));
    pool.close();
    assertTrue(tree.await(WAIT));
    assertThrows(PoolClosedException.class, () -> tree.get(WAIT));
  }
}
