package dev.kpool.conformance.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kpool.protocol.ContentType;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.frame.ToWorker;
import java.util.Arrays;
import java.util.List;

/** Builds the frames and values the checks send. */
final class Frames {
  private Frames() {}

  /** A JSON task frame with one item per value. */
  static ToWorker.Task task(String id, String name, Object... items) {
    List<JsonNode> nodes = Arrays.stream(items).map(Frames::json).toList();
    return new ToWorker.Task(id, name, ContentType.JSON.mime(), nodes, 1, 0);
  }

  /** An {@code application/octet-stream} task frame with one base64 item. */
  static ToWorker.Task bytesTask(String id, String name, String base64) {
    return new ToWorker.Task(
        id, name, ContentType.BYTES.mime(), List.of(TextNode.valueOf(base64)), 1, 0);
  }

  static ToWorker.Init init(String id, String name, Object args) {
    return new ToWorker.Init(id, name, json(args));
  }

  static JsonNode json(Object value) {
    JsonNode node = ProtocolJson.mapper().valueToTree(value);
    return node == null ? NullNode.getInstance() : node;
  }
}
