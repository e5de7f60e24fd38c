package dev.kpool.supervisor;

import dev.kpool.protocol.ControlMessage;
import dev.kpool.protocol.frame.FromWorker;
import dev.kpool.supervisor.config.PoolConfig;
import dev.kpool.supervisor.dispatch.ProcessPool;
import dev.kpool.supervisor.fault.DeadLetters;
import dev.kpool.supervisor.fault.RetryRelay;
import dev.kpool.supervisor.fault.RetryTopicRoute;
import dev.kpool.supervisor.fault.TaskSettler;
import dev.kpool.supervisor.kafka.FollowUps;
import dev.kpool.supervisor.kafka.PoolTopics;
import dev.kpool.supervisor.kafka.RecordWriter;
import dev.kpool.supervisor.keyed.InLaneRetry;
import dev.kpool.supervisor.keyed.KeyedLane;
import dev.kpool.supervisor.lane.Lane;
import dev.kpool.supervisor.lane.ShareLane;
import dev.kpool.supervisor.metrics.TaskFlow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * One pool served by this supervisor: its worker processes, the lanes feeding them, and (for a
 * share-group pool) the relay that moves due retries back to the task topic.
 */
public final class PoolRunner {
  private static final Logger LOG = Logger.getLogger(PoolRunner.class);

  /**
   * Fewest share lanes per pool unless configured: with two, both were often waiting at once (one
   * for the tail of its batch, one for its next poll) and the workers ran dry between batches.
   */
  private static final int DEFAULT_LANES = 4;

  private final String name;
  private final PoolConfig config;
  private final ProcessPool processes;
  private final List<Lane> lanes = new ArrayList<>();
  private final TaskFlow flow = new TaskFlow();
  // Set by prepare(), which runs before any task can reach a worker; read on worker reader threads
  // and request threads.
  private volatile FollowUps followUps;
  private volatile DeadLetters deadLetters;

  /** Builds the pool without starting anything: no process, no Kafka client, no network call. */
  PoolRunner(String name, PoolConfig config) {
    this.name = name;
    this.config = config;
    this.processes = new ProcessPool(name, config, this::followUp);
  }

  /**
   * Spawns the pool's first worker processes and returns at once. Workers need no Kafka, so they
   * start before anything else: a worker JVM boots while this one connects to Kafka and sets up
   * the pool in {@link #prepare}. Nothing reaches a worker before {@link #start}.
   */
  void startWorkers() {
    processes.start();
  }

  /**
   * Makes sure the pool's topics and share-group settings exist and builds its lanes, without
   * starting them. The Admin round trips run on a thread of their own while this thread builds the
   * lanes' Kafka clients, which need no topic until they poll.
   *
   * @throws IllegalStateException if Kafka refuses or does not answer the topic set-up
   */
  void prepare(Map<String, Object> clientProperties, RecordWriter writer) {
    // Lanes renew the locks of records whose tasks run or wait, so the lock bounds only how long a
    // dead supervisor's records stay out of reach, not how long a task may take.
    FutureTask<Void> topics =
        new FutureTask<>(
            () ->
                PoolTopics.ensure(
                    clientProperties, name, config.taskPartitions(), config.recordLock()),
            null);
    Thread admin = new Thread(topics, "kpool-" + name + "-topics");
    admin.setDaemon(true);
    admin.start();
    FollowUps children = new FollowUps(writer);
    followUps = children;
    deadLetters = new DeadLetters(name, clientProperties, writer);
    if (config.keyed()) {
      // In-lane retries keep a key's order, which a trip through the retry topic would not.
      TaskSettler settler =
          new TaskSettler(name, config, processes, writer, children, new InLaneRetry(), flow);
      lanes.add(new KeyedLane(name, config, clientProperties, settler, processes));
    } else {
      TaskSettler settler =
          new TaskSettler(
              name,
              config,
              processes,
              writer,
              children,
              new RetryTopicRoute(name, writer, System::currentTimeMillis),
              flow);
      lanes.add(new RetryRelay(name, clientProperties, writer, System::currentTimeMillis));
      for (int i = 1; i <= lanes(config); i++) {
        lanes.add(
            new ShareLane(name, i, config, clientProperties, settler, processes::queuedWorkBelow));
      }
    }
    awaitTopics(topics);
  }

  /**
   * Share lanes of a pool unless configured: one more than its most workers, and at least {@link
   * #DEFAULT_LANES}. A lane acknowledges a whole batch before it polls again, so it is blocked while
   * a task of its batch runs; when a worker is idle the queue is empty, every blocked lane holds a
   * running task, and with one lane more than workers one lane is always free to fetch for it.
   */
  static int lanes(PoolConfig config) {
    return config.consumers().orElse(Math.max(DEFAULT_LANES, config.maxProcesses() + 1));
  }

  /** A task's follow-up submission, on a worker's reader thread. */
  private void followUp(FromWorker.Submit submit) {
    FollowUps children = followUps;
    if (children == null) {
      // Only an initializer runs before prepare(), and it has no task to be the parent of a child.
      LOG.warnf(
          "pool %s: dropping follow-up task %s submitted before the pool took any task",
          name, submit.task());
      return;
    }
    children.submit(submit);
  }

  private void awaitTopics(FutureTask<Void> topics) {
    try {
      topics.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new IllegalStateException(
          "cannot set up topics of pool " + name + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted setting up pool " + name, e);
    }
  }

  /** Starts the lanes built by {@link #prepare}: from now on the pool takes tasks. */
  void start() {
    lanes.forEach(Lane::start);
    LOG.infof(
        "pool %s: serving with %d-%d worker processes (%s), %s",
        name,
        config.minProcesses(),
        config.maxProcesses(),
        String.join(" ", config.command()),
        config.keyed()
            ? "keyed: at most "
                + config.keyConcurrency().orElse(Integer.MAX_VALUE)
                + " in flight and "
                + config.keyRate().orElse(Double.POSITIVE_INFINITY)
                + " starts/s per key"
            : (lanes.size() - 1) + " share consumers and a retry relay");
  }

  /**
   * Waits until every lane started by {@link #start} has joined its group, up to {@code timeout};
   * returns whether they all did. A lane that has not takes tasks once it has.
   */
  boolean awaitJoined(Duration timeout) throws InterruptedException {
    CompletableFuture<?>[] all = lanes.stream().map(Lane::joined).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(all).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true; // a lane that failed to join logs why and builds a new consumer
    }
  }

  /**
   * Stops taking tasks, lets running tasks finish within the drain timeout, releases what was not
   * started back to the share group, and stops the workers.
   */
  void drain() {
    lanes.forEach(Lane::stop);
    processes.shutdown(config.drainTimeout());
    for (Lane lane : lanes) {
      try {
        lane.await(Duration.ofSeconds(15));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Acts on a control message for this pool; called on the control listener thread. */
  void control(ControlMessage message) {
    if (message.kind() == ControlMessage.Kind.CANCEL) {
      message.taskIds().forEach(processes::cancel);
    }
  }

  /** Stops at once: kills the workers; what they ran goes back to the share group. */
  void terminate() {
    processes.terminate();
  }

  public String name() {
    return name;
  }

  public ProcessPool processes() {
    return processes;
  }

  /** The pool's configuration. */
  public PoolConfig config() {
    return config;
  }

  /** Waits, retries, dead letters and reply writes of the pool's tasks, for metrics. */
  public TaskFlow flow() {
    return flow;
  }

  /** The pool's dead-letter topic, to list and replay. */
  public DeadLetters deadLetters() {
    return deadLetters;
  }
}
