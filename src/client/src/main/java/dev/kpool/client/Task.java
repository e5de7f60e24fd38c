package dev.kpool.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import dev.kpool.protocol.ContentType;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.RetryPolicy;
import dev.kpool.protocol.Stage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A typed descriptor of a task that workers registered under {@link #name()}: how its argument is
 * written and how its result is read. A task is a name, never code: nothing is serialized but data.
 *
 * <p>JSON tasks carry records, lists, maps, strings, numbers and booleans. A result is only ever
 * read into the result type declared here; the mapper has no default typing, so a type name in the
 * data (such as {@code "@class"}) is just another field, and an {@code Object} or {@code Map}
 * result reads as plain maps, lists, strings and numbers. Byte tasks ({@link #bytes(String)}) pass
 * opaque bytes both ways.
 *
 * <p>The argument type {@code A} is only ever written, so it needs no class at run time; it is
 * fixed by the declaration, e.g. {@code Task<List<Integer>, Integer> add = Task.of("add",
 * Integer.class)}.
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
  private final List<Stage> later;
  private final RetryPolicy retryPolicy;

  private Task(String name, ContentType contentType, JavaType resultType) {
    this(name, contentType, resultType, List.of(), null);
  }

  private Task(
      String name,
      ContentType contentType,
      JavaType resultType,
      List<Stage> later,
      RetryPolicy retryPolicy) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("task name must not be blank");
    }
    this.name = name;
    this.contentType = contentType;
    this.resultType = Objects.requireNonNull(resultType, "resultType");
    this.later = List.copyOf(later);
    this.retryPolicy = retryPolicy;
  }

  /**
   * A JSON task; {@code argType} only documents the argument type.
   *
   * @throws IllegalArgumentException if the name is blank
   */
  public static <A, R> Task<A, R> of(String name, Class<A> argType, Class<R> resultType) {
    Objects.requireNonNull(argType, "argType");
    return of(name, resultType);
  }

  /**
   * A JSON task whose argument type is taken from the declaration it is assigned to.
   *
   * @throws IllegalArgumentException if the name is blank
   */
  public static <A, R> Task<A, R> of(String name, Class<R> resultType) {
    return new Task<>(
        name, ContentType.JSON, TypeFactory.defaultInstance().constructType(resultType));
  }

  /**
   * A JSON task with a generic result type, e.g. {@code new TypeReference<List<String>>() {}}.
   *
   * @throws IllegalArgumentException if the name is blank
   */
  public static <A, R> Task<A, R> of(String name, TypeReference<R> resultType) {
    return new Task<>(
        name, ContentType.JSON, TypeFactory.defaultInstance().constructType(resultType));
  }

  /**
   * A JSON task with a result type built with Jackson's {@link TypeFactory}.
   *
   * @throws IllegalArgumentException if the name is blank
   */
  public static <A, R> Task<A, R> of(String name, JavaType resultType) {
    return new Task<>(name, ContentType.JSON, resultType);
  }

  /**
   * A task whose argument and result are opaque bytes, untouched by kpool. Byte tasks cannot be
   * chunked.
   *
   * @throws IllegalArgumentException if the name is blank
   */
  public static Task<byte[], byte[]> bytes(String name) {
    return new Task<>(
        name, ContentType.BYTES, TypeFactory.defaultInstance().constructType(byte[].class));
  }

  /**
   * A pipeline: this task, then {@code next} in pool {@code pool} on its result, and so on. The
   * result goes from stage to stage inside Kafka, supervisor to supervisor, never through this
   * client; the caller gets the last stage's result, or the first failure of any stage. A
   * pipeline is a task like any other: {@code apply}, {@code map} (each chunk flows through the
   * stages as a chunk), {@code imap} and the rest take it. Each stage's record is acknowledged only
   * once the next stage's record is durably written.
   *
   * @param pool the pool that runs {@code next}; its supervisors must be serving it
   * @throws IllegalArgumentException if {@code next} is a byte task (results travel as JSON), or
   *     {@code pool} cannot be a pool name
   */
  public <S> Task<A, S> then(String pool, Task<? super R, S> next) {
    if (next.contentType != ContentType.JSON) {
      throw new IllegalArgumentException("a later pipeline stage must be a JSON task: " + next.name);
    }
    List<Stage> stages = new ArrayList<>(later);
    stages.add(new Stage(pool, next.name));
    stages.addAll(next.later);
    return new Task<>(name, contentType, next.resultType, stages, retryPolicy);
  }

  /** The pipeline stages after this task ({@link #then}); empty for a plain task. */
  public List<Stage> laterStages() {
    return later;
  }

  /**
   * This task with its own retry policy, carried on each of its task records in place of the
   * pool's: a run that fails with a retryable error, or whose worker crashes, is run again after
   * an exponential backoff until {@link RetryPolicy#maxAttempts()} runs were made. {@code
   * withRetry(new RetryPolicy(1, Duration.ZERO, Duration.ZERO))} turns retries off.
   */
  public Task<A, R> withRetry(RetryPolicy policy) {
    return new Task<>(name, contentType, resultType, later, Objects.requireNonNull(policy, "policy"));
  }

  /**
   * This task with its own retry policy; see {@link #withRetry(RetryPolicy)}.
   *
   * @throws IllegalArgumentException if {@code maxAttempts < 1}, a duration is negative, or
   *     {@code backoffMax < backoff}
   */
  public Task<A, R> withRetry(int maxAttempts, Duration backoff, Duration backoffMax) {
    return withRetry(new RetryPolicy(maxAttempts, backoff, backoffMax));
  }

  /** The task's own retry policy, or empty when the pool's applies. */
  public Optional<RetryPolicy> retryPolicy() {
    return Optional.ofNullable(retryPolicy);
  }

  /** The name the workers registered the task under. */
  public String name() {
    return name;
  }

  /** How arguments are encoded on the task record. */
  public ContentType contentType() {
    return contentType;
  }

  /** The declared result type. */
  public JavaType resultType() {
    return resultType;
  }

  /**
   * Encodes one argument as an element of a chunk (a JSON array).
   *
   * @throws IllegalArgumentException if the argument cannot be written as JSON
   */
  public JsonNode encodeItem(A arg) {
    try {
      return MAPPER.valueToTree(arg);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot encode argument of task " + name + ": " + e, e);
    }
  }

  /**
   * Encodes one argument as a task record value.
   *
   * @throws IllegalArgumentException if the argument cannot be written as JSON, or a byte task gets
   *     {@code null}
   */
  public byte[] encode(A arg) {
    if (contentType == ContentType.BYTES) {
      if (arg == null) {
        throw new IllegalArgumentException("byte task " + name + " needs a non-null argument");
      }
      return (byte[]) arg;
    }
    try {
      return MAPPER.writeValueAsBytes(arg);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot encode argument of task " + name + ": " + e, e);
    }
  }

  /**
   * Reads one result into the declared result type, and into nothing else.
   *
   * @throws KpoolException if the result does not fit the declared result type
   */
  public R decode(JsonNode result) {
    try {
      if (contentType == ContentType.BYTES) {
        @SuppressWarnings("unchecked")
        R bytes = (R) result.binaryValue();
        if (bytes == null) {
          throw new IOException("not base64 text: " + result.getNodeType());
        }
        return bytes;
      }
      return MAPPER.treeToValue(result, resultType);
    } catch (IOException | IllegalArgumentException e) {
      throw new KpoolException(
          "result of task " + name + " is not a " + resultType + ": " + e.getMessage(),
          e instanceof IOException io ? new UncheckedIOException(io) : e);
    }
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("Task[").append(name);
    later.forEach(stage -> text.append(" | ").append(stage.pool()).append('/').append(stage.task()));
    return text.append(" -> ").append(resultType).append(']').toString();
  }
}
