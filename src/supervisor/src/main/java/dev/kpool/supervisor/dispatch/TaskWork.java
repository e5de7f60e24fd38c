package dev.kpool.supervisor.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One task record's work for a worker: a single item, or the items of a chunk.
 *
 * @param deadline epoch milliseconds; 0 means the pool's default task timeout applies
 */
public record TaskWork(
    String id, String task, String contentType, List<JsonNode> items, int attempt, long deadline) {
  public TaskWork {
    items = List.copyOf(items);
  }
}
