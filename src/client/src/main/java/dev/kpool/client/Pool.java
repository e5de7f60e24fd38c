package dev.kpool.client;

import dev.kpool.client.internal.KafkaPool;
import dev.kpool.protocol.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * A handle on a kpool pool: Python's {@code multiprocessing.Pool} whose workers are processes run
 * by kpool supervisors somewhere on the Kafka cluster. Every Pool call is here under its Java name
 * ({@code apply_async} is {@link #applyAsync}), taking a typed {@link Task} instead of a function.
 *
 * <p><b>Threads.</b> Thread-safe: any thread may submit. A submission sends a task record and
 * returns at once, except that it waits (up to {@link Builder#submitTimeout(Duration)}) while
 * {@link Builder#maxInFlight(int)} task records are outstanding, and then throws {@link
 * SubmitTimeoutException}. One listener thread per handle reads the handle's reply topic.
 *
 * <p><b>Callbacks</b> ({@code callback}, {@code errorCallback}, {@link ProgressListener}s and
 * stages of {@link AsyncResult#toCompletableFuture()}) run on the callback executor: by default one
 * daemon thread per handle, so callbacks of one handle never overlap, as in Python. They never run
 * on a Kafka I/O thread or on the reply listener. Exactly one of {@code callback} and {@code
 * errorCallback} runs, once, per call, even when a reply is delivered twice. A callback that throws
 * is logged; one that blocks delays later callbacks but not results: {@code get}, {@code imap} and
 * the other handles keep receiving.
 *
 * <p><b>Lifecycle.</b> {@link #close()} is Python's {@code close()} followed by {@code join()}: it
 * stops new submissions, waits up to {@link Builder#closeTimeout(Duration)} for every outstanding
 * result and its callbacks, then releases the Kafka clients. <b>Try-with-resources therefore
 * drains</b>, where Python's {@code with Pool()} terminates; call {@link #terminate()} inside the
 * block to cancel instead. {@link #join(Duration)} waits without closing.
 *
 * <p><b>Keys.</b> Every submitting call keys each task record by the task's key for its argument
 * ({@link Task#withKey}, {@link Task#keyedBy}), else by its task id. A pool with per-key limits
 * ({@code key-concurrency}, {@code key-rate}) counts tasks by that key, so tasks of one key on a
 * {@code key-concurrency=1} pool run one at a time, as under Python's {@code Lock}. A keyed task is
 * mapped one item per record and is never bundled.
 *
 * <p><b>Durable handles.</b> A handle built with a stable {@link Builder#clientId(String)} keeps a
 * journal of what it submitted on its reply topic. A later run with the same id (after {@code
 * close()}, a crash or a SIGKILL) lists what the earlier run did not receive in {@link
 * #detachedTasks()} and re-attaches with {@link #attach} or {@link #attachMap}, receiving every
 * result, including those that arrived while no client ran. Only one live handle may use a client
 * id at a time. {@code imap} calls are not journaled.
 */
public interface Pool extends AutoCloseable {

  /** Default bound on task records outstanding per pool handle. */
  int DEFAULT_MAX_IN_FLIGHT = 10_000;

  /** Default time a submission waits for room under the in-flight bound. */
  Duration DEFAULT_SUBMIT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Default largest task record value a handle sends: the supervisor's own default {@code
   * max-task-bytes}, so a record the handle sends is one a default pool accepts.
   */
  int DEFAULT_MAX_TASK_BYTES = 1_048_576;

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

  /** Whether this handle was built with a stable client id, so that its handles outlive it. */
  boolean durable();

  /**
   * Submits one task, like Python's {@code apply_async(f, (arg,))}.
   *
   * @throws PoolClosedException if the pool is closed
   * @throws SubmitTimeoutException if no room freed up within the submit timeout
   * @throws IllegalArgumentException if the argument cannot be encoded
   */
  <A, R> AsyncResult<R> applyAsync(Task<A, R> task, A arg);

  /**
   * Submits one task with callbacks, like Python's {@code apply_async(f, args, callback,
   * error_callback)}. Exactly one of the two runs, once, on the callback executor.
   *
   * @param callback receives the result; may be {@code null}
   * @param errorCallback receives the failure, as {@link AsyncResult#get} would throw it; may be
   *     {@code null}
   * @throws PoolClosedException if the pool is closed
   * @throws SubmitTimeoutException if no room freed up within the submit timeout
   * @throws IllegalArgumentException if the argument cannot be encoded
   */
  <A, R> AsyncResult<R> applyAsync(
      Task<A, R> task,
      A arg,
      Consumer<? super R> callback,
      Consumer<? super Throwable> errorCallback);

  /**
   * Runs one task and waits up to {@code timeout} for its result, like Python's {@code apply}.
   *
   * @throws TaskFailedException if the task raised
   * @throws TaskTimeoutException if the task ran past its deadline
   * @throws ResultTimeoutException if no result came within {@code timeout}
   * @throws PoolClosedException if the pool is closed
   * @throws SubmitTimeoutException if no room freed up within the submit timeout
   */
  default <A, R> R apply(Task<A, R> task, A arg, Duration timeout) {
    return applyAsync(task, arg).get(timeout);
  }

  /**
   * Runs {@code task} over every item, {@link MapOptions#chunksize()} items to a task record and
   * worker call, and returns a handle on the results in item order, like Python's {@code
   * map_async}. Returns once every chunk is sent. The first item to fail (in completion order)
   * fails the whole map at once; chunks still running go on, and their results are dropped.
   *
   * @param callback receives the whole ordered list; may be {@code null}
   * @param errorCallback receives the first failure; may be {@code null}
   * @throws PoolClosedException if the pool is closed
   * @throws SubmitTimeoutException if no room freed up within the submit timeout; chunks already
   *     sent run, their results are dropped, and no callback runs
   * @throws IllegalArgumentException if an item cannot be encoded, or a byte task or a keyed task
   *     is chunked (a keyed task's items go one per record, each keyed by the task's key for it)
   */
  <A, R> AsyncResult<List<R>> mapAsync(
      Task<A, R> task,
      Collection<? extends A> items,
      MapOptions options,
      Consumer<? super List<R>> callback,
      Consumer<? super Throwable> errorCallback);

  /** {@link #mapAsync(Task, Collection, MapOptions, Consumer, Consumer)} with only a chunk size. */
  default <A, R> AsyncResult<List<R>> mapAsync(
      Task<A, R> task,
      Collection<? extends A> items,
      int chunksize,
      Consumer<? super List<R>> callback,
      Consumer<? super Throwable> errorCallback) {
    return mapAsync(
        task, items, MapOptions.DEFAULT.withChunksize(chunksize), callback, errorCallback);
  }

  /**
   * Runs {@code task} over every item and waits up to {@code timeout} for the ordered results, like
   * Python's {@code map}.
   *
   * @throws TaskFailedException for the first item that failed, with its input position
   * @throws ResultTimeoutException if the results did not all come within {@code timeout}
   * @throws PoolClosedException if the pool is closed
   * @throws SubmitTimeoutException if no room freed up within the submit timeout
   */
  default <A, R> List<R> map(
      Task<A, R> task, Collection<? extends A> items, MapOptions options, Duration timeout) {
    return mapAsync(task, items, options, null, null).get(timeout);
  }

  /** {@link #map(Task, Collection, MapOptions, Duration)} with only a chunk size. */
  default <A, R> List<R> map(
      Task<A, R> task, Collection<? extends A> items, int chunksize, Duration timeout) {
    return map(task, items, MapOptions.DEFAULT.withChunksize(chunksize), timeout);
  }

  /**
   * Python's {@code starmap_async}: {@link #mapAsync} for a task whose argument is a tuple, sent as
   * a JSON array (a Python worker receives it unpacked as positional arguments).
   */
  default <E, R> AsyncResult<List<R>> starmapAsync(
      Task<List<E>, R> task,
      Collection<? extends List<E>> argTuples,
      int chunksize,
      Consumer<? super List<R>> callback,
      Consumer<? super Throwable> errorCallback) {
    return mapAsync(task, argTuples, chunksize, callback, errorCallback);
  }

  /** Python's {@code starmap}: {@link #map} for a task whose argument is a tuple. */
  default <E, R> List<R> starmap(
      Task<List<E>, R> task,
      Collection<? extends List<E>> argTuples,
      int chunksize,
      Duration timeout) {
    return map(task, argTuples, chunksize, timeout);
  }

  /**
   * Python's {@code imap}: results in input order, lazily. The first {@link MapOptions#window()}
   * chunks are submitted before this returns; more are read from {@code items} and submitted as
   * results are consumed, so memory stays bounded for inputs of any length.
   *
   * @throws PoolClosedException if the pool is closed
   * @throws SubmitTimeoutException if no room freed up within the submit timeout
   * @throws IllegalArgumentException if a byte task or a keyed task is chunked
   */
  <A, R> ResultIterator<R> imap(Task<A, R> task, Iterable<? extends A> items, MapOptions options);

  /** {@link #imap(Task, Iterable, MapOptions)} with only a chunk size. */
  default <A, R> ResultIterator<R> imap(
      Task<A, R> task, Iterable<? extends A> items, int chunksize) {
    return imap(task, items, MapOptions.DEFAULT.withChunksize(chunksize));
  }

  /**
   * Python's {@code imap_unordered}: as {@link #imap(Task, Iterable, MapOptions)}, but each result
   * is returned as soon as it arrives (chunk by chunk, in completion order).
   */
  <A, R> ResultIterator<R> imapUnordered(
      Task<A, R> task, Iterable<? extends A> items, MapOptions options);

  /** {@link #imapUnordered(Task, Iterable, MapOptions)} with only a chunk size. */
  default <A, R> ResultIterator<R> imapUnordered(
      Task<A, R> task, Iterable<? extends A> items, int chunksize) {
    return imapUnordered(task, items, MapOptions.DEFAULT.withChunksize(chunksize));
  }

  /**
   * Submits {@code arg} to {@code task} as the root of a tree: the follow-up tasks it submits while
   * it runs ({@code ctx.submit} in the worker SDKs), the ones they submit, and so on, in any pool.
   * {@code listener} sees each task of the tree once, as its reply arrives; the handle completes
   * when every task of the tree has an outcome. This is how a crawl waits for every page it led to.
   *
   * <p>The root takes one in-flight slot until its own reply; {@link #close()} and {@link
   * #join(Duration)} also wait for the rest of the tree.
   *
   * @param listener runs on the callback executor, see {@link TreeListener}
   * @throws PoolClosedException if the pool is closed
   * @throws SubmitTimeoutException if no in-flight slot freed up in time
   * @throws IllegalArgumentException if {@code arg} cannot be encoded
   */
  <A> AsyncTree applyTree(Task<A, ?> task, A arg, TreeListener listener);

  /**
   * Submits without a handle: the outcome goes to {@code replyTopic} for whatever reads it, such
   * as a service that consumes it with SmallRye Reactive Messaging {@code @Incoming} and so acts
   * as the callback handler of a pipeline (see {@link Task#then}). This client never sees the
   * outcome, and the call takes no in-flight slot. The reply record is keyed by the returned id
   * and its value is a {@code dev.kpool.protocol.Reply} in JSON.
   *
   * @param replyTopic created (one partition) if it does not exist
   * @return the task id
   * @throws PoolClosedException if the pool is closed
   * @throws IllegalArgumentException if {@code arg} cannot be encoded or {@code replyTopic} is
   *     not a valid topic name
   * @throws TaskTooLargeException if the encoded argument is over {@link Builder#maxTaskBytes}
   * @throws KpoolException if the record could not be handed to the producer
   */
  <A> String send(Task<A, ?> task, A arg, String replyTopic);

  /**
   * Tasks that an earlier run of this client id submitted and did not receive the outcome of,
   * oldest first. Known from when the handle is built; never blocks. Empty for a handle that is not
   * {@link #durable()}.
   */
  List<DetachedTask> detachedTasks();

  /**
   * Re-attaches to a task an earlier run submitted with {@code applyAsync}. Its result is read only
   * into {@code task}'s declared type. Completes at once if the result arrived while no client ran.
   *
   * @throws IllegalArgumentException if {@code taskId} is not among {@link #detachedTasks()}, is a
   *     map, or was submitted under another task name
   * @throws IllegalStateException if it is already attached, or the handle is not durable
   * @throws PoolClosedException if the pool is closed
   */
  <A, R> AsyncResult<R> attach(Task<A, R> task, String taskId);

  /**
   * Re-attaches to a {@code map} or {@code starmap} an earlier run submitted; as {@link #attach}.
   *
   * @throws IllegalArgumentException if {@code mapId} is not a detached map of {@code task}
   * @throws IllegalStateException if it is already attached, or the handle is not durable
   * @throws PoolClosedException if the pool is closed
   */
  <A, R> AsyncResult<List<R>> attachMap(Task<A, R> task, String mapId);

  /**
   * Forgets a detached task: its outcome is dropped and later runs no longer list it. The task
   * itself is not cancelled.
   *
   * @throws IllegalArgumentException if {@code taskId} is not among {@link #detachedTasks()}
   */
  void discard(String taskId);

  /**
   * Waits up to {@code timeout} until every task submitted so far is written to Kafka (and, for a
   * durable handle, journaled), so that it survives this process dying.
   *
   * @return whether everything was written in time
   */
  boolean flush(Duration timeout);

  /** This handle's counters. Never blocks. */
  PoolStats stats();

  /**
   * Also tells {@code listener} the round trip of each task record whose reply arrives from now
   * on: nanoseconds from its submission to its reply. Runs on the reply listener thread, so it must
   * not block; metrics feed their round-trip histogram so (see {@code PoolMeterBinder}). An
   * exception it throws is logged and does not reach the reply listener or the other listeners.
   */
  void onRoundTrip(LongConsumer listener);

  /**
   * Waits up to {@code timeout} until every outstanding result has arrived and every callback has
   * run, like Python's {@code join()} (which, unlike this, needs {@code close()} first).
   * Submissions made meanwhile are waited for too.
   *
   * @return whether everything finished in time
   */
  boolean join(Duration timeout);

  /**
   * Cancels everything not finished and releases the Kafka clients, like Python's {@code
   * terminate()}. Outstanding handles fail at once with {@link CancellationException} (their error
   * callbacks run); a cancel request for every unfinished task goes to the supervisors on the
   * control topic, so that tasks not yet started never run and running ones have their worker
   * process stopped. Later replies for them are ignored. Idempotent; blocks only to send the cancel
   * request and close the clients (a few seconds at most).
   */
  void terminate();

  /**
   * Python's {@code close()} then {@code join()}: stops new submissions, waits up to the close
   * timeout for outstanding results and their callbacks, then releases the Kafka clients. Results
   * still missing then fail with {@link PoolClosedException} (a durable handle's tasks stay
   * detached for the next run). Idempotent; after {@link #terminate()} it does nothing.
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
    private int maxTaskBytes = DEFAULT_MAX_TASK_BYTES;
    private int bundleTasks = 1;
    private Duration bundleWindow = Duration.ofMillis(2);
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
     * A stable identity for this client, which makes its handles durable (see {@link Pool}).
     * Replies go to the reply topic {@code kpool.replies.<clientId>}. Default: a random id, whose
     * reply topic is deleted when the handle closes cleanly.
     */
    public Builder clientId(String clientId) {
      this.clientId = clientId;
      return this;
    }

    /** Bound on outstanding task records; a submission past it waits. Default 10,000. */
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
     * Deadline given to each task record, from its submission; past it the supervisor kills the
     * worker and the outcome is {@link TaskTimeoutException}. Default: none here, the pool's own
     * default applies.
     */
    public Builder taskTimeout(Duration taskTimeout) {
      this.taskTimeout = taskTimeout;
      return this;
    }

    /**
     * Largest encoded argument (or chunk of arguments) a task record may carry; a submission over
     * it throws {@link TaskTooLargeException} before anything is sent. Match it to the pool's
     * {@code max-task-bytes}, which refuses larger records from any producer. Default 1 MiB, that
     * key's default.
     */
    public Builder maxTaskBytes(int maxTaskBytes) {
      this.maxTaskBytes = maxTaskBytes;
      return this;
    }

    /**
     * Lets up to {@code maxTasks} single-item submissions of the same {@link Task} instance
     * ({@code apply}, {@code applyAsync}, {@code applyTree}, and {@code map}/{@code imap} with
     * chunksize 1) share one Kafka record, sent when it is full or {@code window} after its first
     * task, whichever comes first; {@code apply} sends at once. Each task keeps its own id, reply,
     * callbacks, retries, time limit and dead letter: the supervisor splits the record and settles
     * each task as if it had come alone. Default: off ({@code maxTasks} 1).
     *
     * <p>It is for many small, short tasks, where the broker's work per record bounds throughput.
     * A bundle holds one share-group record lock until its last task is done, and a supervisor may
     * hold {@code consumers} × {@code max-poll-records} records at once (4 × 100 by default), so
     * keep that × {@code maxTasks} × task time / workers well below the pool's record lock (2 ×
     * {@code task-timeout} + 30 s). A bundle lost with its supervisor runs all its tasks again
     * (their repeated replies are deduplicated here); a keyed pool writes each task back as a
     * record of its own. Supervisors must be of a version that reads bundles. Byte tasks, keyed
     * tasks ({@link Task#keyedBy}) and arguments over 16 KiB are sent alone.
     *
     * @param maxTasks 1 (off) to 1,000
     * @param window longest a task waits for others, from 1 ms to 1 s
     */
    public Builder bundle(int maxTasks, Duration window) {
      this.bundleTasks = maxTasks;
      this.bundleWindow = window;
      return this;
    }

    /**
     * Where callbacks, progress listeners and future stages run. Default: one daemon thread for
     * this handle, shut down by {@code close()}. An executor given here is not shut down.
     */
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
     * Validates the settings, connects, makes sure the reply topic exists and, for a durable
     * client, reads its journal; blocks until the handle is ready (up to about 30 s).
     *
     * @throws IllegalArgumentException naming the first invalid setting
     * @throws KpoolException if Kafka cannot be reached
     */
    public Pool build() {
      if (bootstrapServers == null || bootstrapServers.isBlank()) {
        throw new IllegalArgumentException("bootstrapServers is required");
      }
      Topics.checkName("pool", pool);
      boolean durable = clientId != null;
      String id = durable ? clientId : "c-" + UUID.randomUUID().toString().substring(0, 12);
      Topics.checkName("clientId", id);
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("maxInFlight must be at least 1: " + maxInFlight);
      }
      requirePositive("submitTimeout", submitTimeout);
      requirePositive("closeTimeout", closeTimeout);
      if (taskTimeout != null) {
        requirePositive("taskTimeout", taskTimeout);
      }
      if (maxTaskBytes < 1) {
        throw new IllegalArgumentException("maxTaskBytes must be at least 1: " + maxTaskBytes);
      }
      if (bundleTasks < 1 || bundleTasks > 1_000) {
        throw new IllegalArgumentException(
            "bundle maxTasks must be from 1 to 1000: " + bundleTasks);
      }
      if (bundleWindow == null
          || bundleWindow.compareTo(Duration.ofMillis(1)) < 0
          || bundleWindow.compareTo(Duration.ofSeconds(1)) > 0) {
        throw new IllegalArgumentException(
            "bundle window must be from 1 ms to 1 s: " + bundleWindow);
      }
      return KafkaPool.start(
          new KafkaPool.Settings(
              bootstrapServers,
              pool,
              id,
              durable,
              maxInFlight,
              submitTimeout,
              closeTimeout,
              taskTimeout,
              maxTaskBytes,
              bundleTasks,
              bundleWindow,
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
