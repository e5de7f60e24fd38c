package dev.kpool.worker.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kpool.protocol.ContentType;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.worker.ContextualTaskFunction;
import dev.kpool.worker.NonRetryableTaskException;
import dev.kpool.worker.TaskContext;
import java.io.IOException;
import java.util.Base64;
import java.util.Locale;

/**
 * One registered name: converts a wire item to the argument type the author declared, runs the
 * function, and converts its result back to JSON. Items only ever become the declared type.
 */
public final class TaskHandler {
  private static final ObjectMapper MAPPER = ProtocolJson.mapper();

  private interface Body {
    JsonNode run(JsonNode item, ContentType contentType, TaskContext context) throws Exception;
  }

  private final String name;
  private final Body body;

  private TaskHandler(String name, Body body) {
    this.name = name;
    this.body = body;
  }

  /** A task whose items are JSON converted to {@code argType}; results are written as JSON. */
  public static <A, R> TaskHandler json(
      String name, Class<A> argType, ContextualTaskFunction<A, R> function) {
    return new TaskHandler(
        name,
        (item, contentType, context) -> {
          if (contentType == ContentType.BYTES && argType != byte[].class) {
            throw new BadArgumentException(
                "task '" + name + "' takes JSON arguments, not " + ContentType.BYTES.mime());
          }
          A arg;
          try {
            arg = MAPPER.treeToValue(item == null ? NullNode.getInstance() : item, argType);
          } catch (JsonProcessingException e) {
            throw badArgument(name, argType, e.getOriginalMessage());
          } catch (IllegalArgumentException e) {
            throw badArgument(name, argType, e.getMessage());
          }
          R result = function.apply(arg, context);
          try {
            JsonNode tree = MAPPER.valueToTree(result);
            return tree == null ? NullNode.getInstance() : tree;
          } catch (IllegalArgumentException e) {
            throw new NonRetryableTaskException(
                "task '"
                    + name
                    + "' returned a value that cannot be written as JSON: "
                    + e.getMessage(),
                e);
          }
        });
  }

  /** A task that takes and returns raw bytes, carried on the wire as base64 text. */
  public static TaskHandler bytes(String name, ContextualTaskFunction<byte[], byte[]> function) {
    return new TaskHandler(
        name,
        (item, contentType, context) -> {
          byte[] result = function.apply(decode(name, item), context);
          return result == null
              ? NullNode.getInstance()
              : TextNode.valueOf(Base64.getEncoder().encodeToString(result));
        });
  }

  /** The registered name. */
  public String name() {
    return name;
  }

  /**
   * Runs the function on one item.
   *
   * @param contentType the frame's content type; {@code null} means JSON
   * @throws BadArgumentException if the item cannot become the declared argument type
   * @throws Exception whatever the function threw
   */
  JsonNode run(JsonNode item, String contentType, TaskContext context) throws Exception {
    ContentType type;
    try {
      type = ContentType.fromMime(contentType);
    } catch (IllegalArgumentException e) {
      throw new BadArgumentException("task '" + name + "': " + e.getMessage());
    }
    return body.run(item, type, context);
  }

  private static byte[] decode(String name, JsonNode item) throws BadArgumentException {
    if (item == null || item.isNull()) {
      return null;
    }
    try {
      if (item.isTextual()) {
        return Base64.getDecoder().decode(item.textValue());
      }
      if (item.isBinary()) {
        return item.binaryValue();
      }
    } catch (IllegalArgumentException | IOException e) {
      throw new BadArgumentException(
          "task '" + name + "' takes bytes, but the item is not base64 text: " + e.getMessage());
    }
    throw new BadArgumentException(
        "task '"
            + name
            + "' takes bytes as base64 text, got a JSON "
            + item.getNodeType().name().toLowerCase(Locale.ROOT));
  }

  private static BadArgumentException badArgument(String name, Class<?> type, String why) {
    String firstLine = why == null ? "" : why.lines().findFirst().orElse("");
    return new BadArgumentException(
        "task '" + name + "' cannot read its argument as " + type.getTypeName() + ": " + firstLine);
  }
}
