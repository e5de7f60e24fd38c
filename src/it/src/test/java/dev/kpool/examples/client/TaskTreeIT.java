package dev.kpool.examples.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.AsyncTree;
import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.client.TreeNode;
import dev.kpool.client.TreeSummary;
import dev.kpool.examples.tasks.ExampleWorker.TreeArgs;
import dev.kpool.protocol.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Trees of follow-up tasks through the real broker and worker processes: the client waits for
 * every task a submission led to, sees each once as it arrives, and a follow-up id runs once per
 * tree however often it is submitted.
 */
@ClusterPool("trees")
class TaskTreeIT {
  private static final Task<TreeArgs, String> TREE = Task.of("tree", TreeArgs.class, String.class);
  private static final Task<List<Integer>, Integer> LINK =
      Task.of("link", new com.fasterxml.jackson.core.type.TypeReference<Integer>() {});
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static ClientCluster cluster;

  @Test
  void clientWaitsForEveryTaskOfATreeAndSeesEachOnce() {
    Map<String, TreeNode> seen = new ConcurrentHashMap<>();
    try (Pool pool = cluster.client().build()) {
      AsyncTree tree =
          pool.applyTree(
              TREE, new TreeArgs("r", 3, 3), node -> assertNull(seen.put(node.id(), node)));
      TreeSummary summary = tree.get(WAIT);

      assertEquals(
          new TreeSummary(40, 40, 0),
          summary,
          () ->
              "1 + 3 + 9 + 27 tasks, saw "
                  + seen.values().stream()
                      .map(n -> n.result(TREE) + "@" + n.attempt() + "<" + n.parentId())
                      .sorted()
                      .toList());
      assertEquals(40, seen.size());
      Map<String, String> pathOf =
          seen.values().stream().collect(Collectors.toMap(TreeNode::id, n -> n.result(TREE)));
      for (TreeNode node : seen.values()) {
        String path = pathOf.get(node.id());
        if (node.parentId() == null) {
          assertEquals(tree.taskId(), node.id());
          assertEquals("r", path);
        } else {
          assertEquals(
              path.substring(0, path.lastIndexOf('.')),
              pathOf.get(node.parentId()),
              "the parent of " + path);
        }
        assertEquals(
            Set.copyOf(node.childIds()),
            seen.values().stream()
                .filter(c -> node.id().equals(c.parentId()))
                .map(TreeNode::id)
                .collect(Collectors.toSet()),
            "children of " + path);
      }
    }
  }

  @Test
  void followUpWithAnIdRunsOncePerTreeHoweverOftenItIsSubmitted() {
    int pages = 60;
    Map<Integer, Integer> visits = new ConcurrentHashMap<>();
    String clientId = "trees-links-" + System.nanoTime();
    try (Pool pool = cluster.client().clientId(clientId).build()) {
      AsyncTree tree =
          pool.applyTree(
              LINK, List.of(0, pages), node -> visits.merge(node.result(LINK), 1, Integer::sum));
      TreeSummary summary = tree.get(WAIT);

      assertEquals(visits.keySet().size(), summary.tasks());
      assertTrue(visits.values().stream().allMatch(n -> n == 1), "each page seen once: " + visits);
      // Every page the graph reaches, and each written as a task (and replied) exactly once.
      Set<Integer> reachable = reachable(pages);
      assertEquals(reachable, visits.keySet());
      List<Reply> replies = cluster.replies(clientId);
      assertEquals(
          reachable.size(), replies.size(), "one reply record per page: no page ran twice");
      assertEquals(replies.size(), replies.stream().map(Reply::id).distinct().count());
    }
  }

  private static Set<Integer> reachable(int pages) {
    Set<Integer> seen = new java.util.TreeSet<>(Set.of(0));
    java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>(List.of(0));
    Function<Integer, List<Integer>> links = p -> List.of((2 * p + 1) % pages, (3 * p + 2) % pages);
    while (!todo.isEmpty()) {
      for (int next : links.apply(todo.poll())) {
        if (seen.add(next)) {
          todo.add(next);
        }
      }
    }
    return seen;
  }
}
