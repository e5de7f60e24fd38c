package dev.kpool.client;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import dev.kpool.protocol.ContentType;
import dev.kpool.protocol.ProtocolJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * A typed descriptor of a task that workers registered under {@link #name()}: how its argument is
 * written and its result read. A task is a name, never code: nothing is serialized but data, and a
 * result is only ever read into the type declared here.
 *
 * <p>Immutable and thread-safe; build once and reuse.
 *
 * @param <A> argument type
 * @param <R> result type
 */
public final class Task<A, R> {
  private static final ObjectMapper MAPPER = ProtocolJson.mapper();

  private final String name;
  private final ContentType contentType;
  private final JavaType resultType;

  private Task(String name, ContentType contentType, JavaType resultType) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("task name must not be blank");
    }
    this.name = name;
    this.contentType = contentType;
    this.resultType = resultType;
  }

  /**
   * A task whose argument and result travel as JSON: records, lists, maps, strings, numbers and
   * booleans.
   */
  public static <A, R> Task<A, R> of(String name, Class<A> argType, Class<R> resultType) {
    Objects.requireNonNull(argType, "argType");
    return new Task<>(name, ContentType.JSON, TypeFactory.defaultInstance().constructType(resultType));
  }

  /**
   * A JSON task with a generic result type, e.g. {@code List<String>}: pass the type built with
   * Jackson's {@link TypeFactory}.
   */
  public static <A, R> Task<A, R> of(String name, JavaType resultType) {
    return new Task<>(name, ContentType.JSON, resultType);
  }

  /** A task whose argument and result are opaque bytes, untouched by kpool. */
  public static Task<byte[], byte[]> bytes(String name) {
    return new Task<>(name, ContentType.BYTES, TypeFactory.defaultInstance().constructType(byte[].class));
  }

  /** The name the workers registered the task under. */
  public String name() {
    return name;
  }

  /** How arguments are encoded on the task record. */
  public ContentType contentType() {
    return contentType;
  }

  /** Encodes one argument as a JSON tree (bytes become base64 text); used for chunks. */
  public JsonNode encodeItem(A arg) {
    return MAPPER.valueToTree(arg);
  }

  /**
   * Encodes one argument as a task record value.
   *
   * @throws IllegalArgumentException if the argument cannot be written as JSON
   */
  public byte[] encode(A arg) {
    if (contentType == ContentType.BYTES) {
      return (byte[]) arg;
    }
    try {
      return MAPPER.writeValueAsBytes(arg);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot encode argument of task " + name + ": " + e, e);
    }
  }

  /**
   * Reads one result.
   *
   * @throws KpoolException if the result does not fit the declared result type
   */
  public R decode(JsonNode result) {
    try {
      if (contentType == ContentType.BYTES) {
        @SuppressWarnings("unchecked")
        R bytes = (R) result.binaryValue();
        return bytes;
      }
      return MAPPER.treeToValue(result, resultType);
    } catch (IOException e) {
      throw new KpoolException(
          "result of task " + name + " is not a " + resultType + ": " + e.getMessage(),
          new UncheckedIOException(e));
    }
  }

  @Override
  public String toString() {
    return "Task[" + name + " -> " + resultType + "]";
  }
}
