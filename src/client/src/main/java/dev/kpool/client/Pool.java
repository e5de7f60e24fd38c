package dev.kpool.client;

import dev.kpool.client.internal.KafkaPool;
import dev.kpool.protocol.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A handle on a kpool pool: {@code multiprocessing.Pool} whose workers are processes run by kpool
 * supervisors somewhere on the Kafka cluster.
 *
 * <p>Thread-safe: any thread may submit. Submission sends a task record and returns at once, except
 * that it waits (up to {@link Builder#submitTimeout(Duration)}) while {@link
 * Builder#maxInFlight(int)} tasks are outstanding.
 *
 * <p><b>Callbacks</b> run on the pool's callback executor (by default one daemon thread per pool,
 * so callbacks of one pool never run concurrently, as in Python), never on a Kafka I/O thread. A
 * callback that throws is logged and does not stop other results. Each callback runs at most once
 * per task, even if the supervisor delivered the reply twice.
 *
 * <p><b>Closing</b>: {@link #close()} (and so try-with-resources) stops new submissions, waits up
 * to {@link Builder#closeTimeout(Duration)} for outstanding results, then releases the Kafka
 * clients; results that did not arrive by then are failed with {@link PoolClosedException}.
 */
public interface Pool extends AutoCloseable {

  /** Default bound on tasks outstanding per pool handle. */
  int DEFAULT_MAX_IN_FLIGHT = 10_000;
  /** Default time a submission waits for room under {@link #DEFAULT_MAX_IN_FLIGHT}. */
  Duration DEFAULT_SUBMIT_TIMEOUT = Duration.ofSeconds(30);
  /** Default time {@link #close()} waits for outstanding results. */
  Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /** Starts building a pool handle. */
  static Builder builder() {
    return new Builder();
  }

  /** The pool's name, as the supervisors know it. */
  String name();

  /** The identity whose reply topic this handle reads. */
  String clientId();

  /**
   * Submits one task.
   *
   * @throws PoolClosedException if the pool is closed
   * @throws RetriableKpoolException if no room freed up within the submit timeout
   */
  <A, R> AsyncResult<R> applyAsync(Task<A, R> task, A arg);

  /**
   * Submits one task with callbacks, like Python's {@code apply_async(f, args, callback,
   * error_callback)}. Exactly one of the two runs, once, on the callback executor.
   *
   * @param callback receives the result; may be {@code null}
   * @param errorCallback receives the failure; may be {@code null}
   */
  <A, R> AsyncResult<R> applyAsync(
      Task<A, R> task, A arg, Consumer<? super R> callback, Consumer<? super Throwable> errorCallback);

  /**
   * Runs one task and waits for its result.
   *
   * @throws TaskFailedException if the task raised
   * @throws TaskTimeoutException if no result came within {@code timeout}
   */
  default <A, R> R apply(Task<A, R> task, A arg, Duration timeout) {
    return applyAsync(task, arg).get(timeout);
  }

  /**
   * Runs {@code task} over every item, {@code chunksize} items to a task record and worker call,
   * and returns a handle on the results in item order. The first failing item fails the whole map,
   * as in Python.
   *
   * @param callback receives the whole ordered list; may be {@code null}
   * @param errorCallback receives the first failure; may be {@code null}
   */
  <A, R> AsyncResult<List<R>> mapAsync(
      Task<A, R> task,
      List<? extends A> items,
      int chunksize,
      Consumer<? super List<R>> callback,
      Consumer<? super Throwable> errorCallback);

  /** Runs {@code task} over every item and waits for the ordered results. */
  default <A, R> List<R> map(Task<A, R> task, List<? extends A> items, int chunksize, Duration timeout) {
    return mapAsync(task, items, chunksize, null, null).get(timeout);
  }

  /**
   * Stops new submissions, waits up to the close timeout for outstanding results, and releases the
   * Kafka clients. Idempotent.
   */
  @Override
  void close();

  /** Builds a {@link Pool}. Not thread-safe; {@link #build()} validates every setting. */
  final class Builder {
    private String bootstrapServers;
    private String pool = "default";
    private String clientId;
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    private Duration submitTimeout = DEFAULT_SUBMIT_TIMEOUT;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    private Duration taskTimeout;
    private Executor callbackExecutor;
    private final Map<String, Object> kafkaProperties = new HashMap<>();

    private Builder() {}

    /** Kafka bootstrap servers, e.g. {@code 127.0.0.1:9092}. Required. */
    public Builder bootstrapServers(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
      return this;
    }

    /** The pool to submit to. Default {@code default}. */
    public Builder pool(String pool) {
      this.pool = pool;
      return this;
    }

    /**
     * A stable identity for this client; replies go to its own reply topic. Default: a random id,
     * so results of tasks submitted by an earlier run are not seen.
     */
    public Builder clientId(String clientId) {
      this.clientId = clientId;
      return this;
    }

    /** Bound on outstanding tasks; a submission past it waits. Default 10,000. */
    public Builder maxInFlight(int maxInFlight) {
      this.maxInFlight = maxInFlight;
      return this;
    }

    /** How long a submission waits for room under the in-flight bound. Default 30 s. */
    public Builder submitTimeout(Duration submitTimeout) {
      this.submitTimeout = submitTimeout;
      return this;
    }

    /** How long {@link Pool#close()} waits for outstanding results. Default 30 s. */
    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = closeTimeout;
      return this;
    }

    /**
     * Deadline given to each task, from its submission; past it the supervisor kills the worker and
     * replies with a timeout. Default: none here, the pool's own default applies.
     */
    public Builder taskTimeout(Duration taskTimeout) {
      this.taskTimeout = taskTimeout;
      return this;
    }

    /** Where callbacks run. Default: one daemon thread for this pool handle. */
    public Builder callbackExecutor(Executor callbackExecutor) {
      this.callbackExecutor = callbackExecutor;
      return this;
    }

    /** A raw Kafka client property (security, timeouts, ...) passed to every client made. */
    public Builder kafkaProperty(String key, Object value) {
      kafkaProperties.put(key, value);
      return this;
    }

    /**
     * Validates the settings, connects, and makes sure the reply topic exists.
     *
     * @throws IllegalArgumentException naming the first invalid setting
     * @throws KpoolException if Kafka cannot be reached
     */
    public Pool build() {
      if (bootstrapServers == null || bootstrapServers.isBlank()) {
        throw new IllegalArgumentException("bootstrapServers is required");
      }
      Topics.checkName("pool", pool);
      String id = clientId != null ? clientId : "c-" + UUID.randomUUID().toString().substring(0, 12);
      Topics.checkName("clientId", id);
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("maxInFlight must be at least 1: " + maxInFlight);
      }
      requirePositive("submitTimeout", submitTimeout);
      requirePositive("closeTimeout", closeTimeout);
      if (taskTimeout != null) {
        requirePositive("taskTimeout", taskTimeout);
      }
      return KafkaPool.start(
          new KafkaPool.Settings(
              bootstrapServers,
              pool,
              id,
              maxInFlight,
              submitTimeout,
              closeTimeout,
              taskTimeout,
              callbackExecutor,
              Map.copyOf(kafkaProperties)));
    }

    private static void requirePositive(String key, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(key + " must be a positive duration: " + value);
      }
    }
  }
}
