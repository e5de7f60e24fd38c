package dev.kpool.worker;

import dev.kpool.worker.internal.Session;
import dev.kpool.worker.internal.StandardStreams;
import dev.kpool.worker.internal.TaskHandler;
import dev.kpool.worker.internal.TaskRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A worker process's protocol loop: the task names it serves and the functions behind them.
 *
 * <p>Build one with {@link #builder()}, then call {@link #runAndExit()} from {@code main}. The
 * worker runs one task at a time on a single task thread, like a {@code multiprocessing.Pool}
 * child; a chunk's items run in order and stop at the first failure.
 *
 * <p>Failures: an exception thrown by a task is sent back as a remote error carrying its class
 * name, message and stack text, and is retryable unless it is a {@link NonRetryableTaskException}.
 * An argument that cannot be converted to the declared type fails as {@code kpool.BadArgument}, a
 * name that was not registered as {@code kpool.UnknownTask}, and a result over the frame size limit
 * as {@code kpool.ResultTooLarge}; none of these is retryable and the worker keeps serving.
 */
public final class Worker {
  private final TaskRegistry registry;

  private Worker(TaskRegistry registry) {
    this.registry = registry;
  }

  /** A builder with nothing registered. */
  public static Builder builder() {
    return new Builder();
  }

  /** The task names this worker serves, in registration order. */
  public List<String> taskNames() {
    return List.copyOf(registry.tasks().keySet());
  }

  /**
   * Speaks the protocol on this process's stdin and stdout until the session ends. Call it once,
   * from {@code main}, before anything is printed to {@code System.out}: from then on stdout
   * carries only frames, {@code System.out} is redirected to stderr and {@code System.in} reads
   * nothing.
   *
   * <p>At end of stdin this method does not return: it halts the JVM at once with status 0 (without
   * running shutdown hooks), because a closed stdin means the supervisor is gone and a hung task
   * must not keep an orphan process alive.
   *
   * @return the exit code: 0 after a {@code shutdown} frame (the current task finished and its
   *     result was sent), 1 if stdout failed or the worker hit a fatal JVM error, 2 after a
   *     malformed frame on stdin, 3 if the supervisor speaks another protocol version
   * @throws IllegalStateException if stdin and stdout were already taken by an earlier call
   */
  public int run() {
    return runOnStandardStreams(Worker::halt);
  }

  /**
   * {@link #run()}, then {@link System#exit} with its code. The usual last line of a worker's
   * {@code main}.
   */
  public void runAndExit() {
    int code = run();
    System.err.flush();
    System.exit(code);
  }

  /** {@link #run()} with the end-of-stdin policy given, so that tests need not halt their JVM. */
  int runOnStandardStreams(Runnable atEndOfInput) {
    StandardStreams stdio = StandardStreams.take();
    return run(stdio.in(), stdio.out(), atEndOfInput);
  }

  /** A session over the given streams, which the caller keeps owning. */
  int run(InputStream in, OutputStream out, Runnable atEndOfInput) {
    return new Session(registry, in, out, atEndOfInput).run();
  }

  private static void halt() {
    System.err.flush();
    Runtime.getRuntime().halt(Session.EXIT_OK);
  }

  /**
   * Registers task names. Each name is registered once, as a task or as an initializer. Not
   * thread-safe; {@link #build()} may be called more than once.
   */
  public static final class Builder {
    private final Map<String, TaskHandler> tasks = new LinkedHashMap<>();
    private final Map<String, TaskHandler> initializers = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Registers a task whose JSON argument is converted to {@code argType} (a record, a boxed
     * primitive, {@code String}, an array, {@code Map}, {@code List} or {@code JsonNode}) and whose
     * result is written as JSON.
     *
     * @throws IllegalArgumentException if the name is blank or already registered
     * @throws NullPointerException if any parameter is null
     */
    public <A, R> Builder task(String name, Class<A> argType, TaskFunction<A, R> function) {
      Objects.requireNonNull(function, "function");
      return task(name, argType, (arg, context) -> function.apply(arg));
    }

    /**
     * Registers a task that also receives its {@link TaskContext}; otherwise as {@link
     * #task(String, Class, TaskFunction)}.
     *
     * @throws IllegalArgumentException if the name is blank or already registered
     * @throws NullPointerException if any parameter is null
     */
    public <A, R> Builder task(
        String name, Class<A> argType, ContextualTaskFunction<A, R> function) {
      Objects.requireNonNull(argType, "argType");
      Objects.requireNonNull(function, "function");
      tasks.put(checkNew(name), TaskHandler.json(name, argType, function));
      return this;
    }

    /**
     * Registers a task on raw bytes. Items arrive as base64 text (the supervisor encodes {@code
     * application/octet-stream} record values that way) and the result is sent back as base64.
     *
     * @throws IllegalArgumentException if the name is blank or already registered
     * @throws NullPointerException if any parameter is null
     */
    public Builder bytesTask(String name, TaskFunction<byte[], byte[]> function) {
      Objects.requireNonNull(function, "function");
      return bytesTask(name, (arg, context) -> function.apply(arg));
    }

    /**
     * Registers a task on raw bytes that also receives its {@link TaskContext}.
     *
     * @throws IllegalArgumentException if the name is blank or already registered
     * @throws NullPointerException if any parameter is null
     */
    public Builder bytesTask(String name, ContextualTaskFunction<byte[], byte[]> function) {
      Objects.requireNonNull(function, "function");
      tasks.put(checkNew(name), TaskHandler.bytes(name, function));
      return this;
    }

    /**
     * Registers an initializer, run by {@code init} frames that name it; its JSON argument is
     * converted to {@code argType}. Initializer names are not listed among the task names.
     *
     * @throws IllegalArgumentException if the name is blank or already registered
     * @throws NullPointerException if any parameter is null
     */
    public <A> Builder initializer(String name, Class<A> argType, Initializer<A> initializer) {
      Objects.requireNonNull(argType, "argType");
      Objects.requireNonNull(initializer, "initializer");
      ContextualTaskFunction<A, Void> body =
          (arg, context) -> {
            initializer.init(arg);
            return null;
          };
      initializers.put(checkNew(name), TaskHandler.json(name, argType, body));
      return this;
    }

    /**
     * The worker.
     *
     * @throws IllegalStateException if no task is registered
     */
    public Worker build() {
      if (tasks.isEmpty()) {
        throw new IllegalStateException("a worker needs at least one task");
      }
      return new Worker(new TaskRegistry(tasks, initializers));
    }

    private String checkNew(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("a task name must not be blank");
      }
      if (tasks.containsKey(name) || initializers.containsKey(name)) {
        throw new IllegalArgumentException("'" + name + "' is already registered");
      }
      return name;
    }
  }
}
