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
import java.util.function.Function;

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
 * <p>A task may carry a key ({@link #withKey}, {@link #keyedBy}): the record key of each of its
 * task records, which a pool with per-key limits ({@code key-concurrency}, {@code key-rate})
 * counts. That is kpool's {@code Lock}: tasks that share a key on a pool with {@code
 * key-concurrency=1} run one at a time.
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

  /** Null for a task without a key: its records are keyed by their task ids. */
  private final Function<? super A, String> key;

  private Task(String name, ContentType contentType, JavaType resultType) {
    this(name, contentType, resultType, List.of(), null, null);
  }

  private Task(
      String name,
      ContentType contentType,
      JavaType resultType,
      List<Stage> later,
      RetryPolicy retryPolicy,
      Function<? super A, String> key) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("task name must not be blank");
    }
    this.name = name;
    this.contentType = contentType;
    this.resultType = Objects.requireNonNull(resultType, "resultType");
    this.later = List.copyOf(later);
    this.retryPolicy = retryPolicy;
    this.key = key;
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
      throw new IllegalArgumentException(
          "a later pipeline stage must be a JSON task: " + next.name);
    }
    List<Stage> stages = new ArrayList<>(later);
    stages.add(new Stage(pool, next.name));
    stages.addAll(next.later);
    return new Task<>(name, contentType, next.resultType, stages, retryPolicy, key);
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
    return new Task<>(
        name, contentType, resultType, later, Objects.requireNonNull(policy, "policy"), key);
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

  /**
   * This task with one key for every submission: each of its task records is keyed by {@code
   * key}, so a pool with {@code key-concurrency=1} runs the tasks of that key one at a time, e.g.
   * {@code pool.apply(take.withKey("counter-7"), 1, timeout)}. Equivalent to {@code keyedBy(arg ->
   * key)}; see there for what a key changes.
   *
   * @throws NullPointerException if {@code key} is null
   */
  public Task<A, R> withKey(String key) {
    Objects.requireNonNull(key, "key");
    return keyedBy(arg -> key);
  }

  /**
   * This task with a key computed from each argument, e.g. {@code fetch.keyedBy(url ->
   * url.getHost())}: every submitting call ({@code apply}, {@code applyAsync}, {@code applyTree},
   * {@code send}, and the maps, per item) keys the task record of an argument by {@code
   * key.apply(arg)}, on the submitting thread, before anything is sent. A {@code null} key leaves
   * that record keyed by its task id, as a task without a key. Replaces any key this task had; the
   * pipeline stages and retry policy are kept, and later stages ({@link #then}) inherit the key.
   *
   * <p>A key changes the task record's key only: the task id, its reply, callbacks, retries and
   * re-attaching are as without it. It limits nothing in a pool without per-key limits. A keyed
   * task is never bundled ({@link Pool.Builder#bundle}) and is mapped one item per record:
   * {@code map} or {@code imap} with a chunk size over 1 throw {@link IllegalArgumentException},
   * since a chunk would count as a single task against the key's limits.
   *
   * @param key pure and fast; an exception it throws comes out of the submitting call, with
   *     nothing of that call's argument sent
   * @throws NullPointerException if {@code key} is null
   */
  public Task<A, R> keyedBy(Function<? super A, String> key) {
    Objects.requireNonNull(key, "key");
    return new Task<>(name, contentType, resultType, later, retryPolicy, key);
  }

  /** Whether this task has a key ({@link #withKey}, {@link #keyedBy}). */
  public boolean keyed() {
    return key != null;
  }

  /**
   * The record key of this task's record for {@code arg}: its key, or {@code null} for a task
   * without one (or whose key function gave {@code null}), whose record is keyed by its task id.
   *
   * @throws RuntimeException whatever the key function throws
   */
  public String keyOf(A arg) {
    return key == null ? null : key.apply(arg);
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
    later.forEach(
        stage -> text.append(" | ").append(stage.pool()).append('/').append(stage.task()));
    if (key != null) {
      text.append(" keyed");
    }
    return text.append(" -> ").append(resultType).append(']').toString();
  }
}
