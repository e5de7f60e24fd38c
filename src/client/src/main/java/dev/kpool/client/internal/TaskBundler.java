package dev.kpool.client.internal;

import dev.kpool.client.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers single-item submissions of one {@link Task} into bundles, so that up to {@code maxTasks}
 * of them share a task record: a bundle goes out when it is full, when it would grow past {@link
 * #MAX_BYTES}, when {@code window} has passed since its first member, or on {@link #sendAll}.
 *
 * <p>Thread-safe. {@link #add} never blocks on Kafka; bundles are sent on the caller's thread when
 * full, else on the bundler's timer thread, through the {@link Sink}, outside any lock.
 */
final class TaskBundler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TaskBundler.class);

  /**
   * Most bytes of arguments in one bundle. Far below Kafka's 1 MiB request size, and small enough
   * that a bundle is a batch of small tasks: a larger argument gains nothing from sharing a record.
   */
  static final int MAX_BYTES = 64 * 1024;

  /** A submission waiting in a bundle; {@code submittedMillis} is when it was added. */
  record Member(String id, byte[] value, long submittedMillis, Consumer<Exception> onFailure) {}

  /** Sends one bundle of one task; reports a failure through its members' {@code onFailure}. */
  interface Sink {
    void send(Task<?, ?> task, List<Member> members);
  }

  private final class Open {
    final Task<?, ?> task;
    final List<Member> members = new ArrayList<>();
    int bytes;

    Open(Task<?, ?> task) {
      this.task = task;
    }
  }

  private final int maxTasks;
  private final Duration window;
  private final Sink sink;
  private final Map<Task<?, ?>, Open> open = new IdentityHashMap<>(); // guarded by this
  private final ScheduledExecutorService timer;

  /**
   * @param maxTasks most members of a bundle, at least 2
   * @param window longest a member waits for others
   */
  TaskBundler(String threadName, int maxTasks, Duration window, Sink sink) {
    if (maxTasks < 2) {
      throw new IllegalArgumentException("a bundle holds at least 2 tasks: " + maxTasks);
    }
    this.maxTasks = maxTasks;
    this.window = window;
    this.sink = sink;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, threadName);
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Whether a submission of {@code value} may join a bundle at all. */
  static boolean fits(byte[] value) {
    return value.length <= MAX_BYTES / 4;
  }

  /** Adds a submission to its task's open bundle, sending the bundle if that fills it. */
  void add(Task<?, ?> task, String id, byte[] value, Consumer<Exception> onFailure) {
    Member member = new Member(id, value, System.currentTimeMillis(), onFailure);
    Open ready = null;
    Open started = null;
    Open overflow = null;
    synchronized (this) {
      Open bundle = open.get(task);
      if (bundle != null && bundle.bytes + value.length > MAX_BYTES) {
        overflow = open.remove(task);
        bundle = null;
      }
      if (bundle == null) {
        bundle = new Open(task);
        open.put(task, bundle);
        started = bundle;
      }
      bundle.members.add(member);
      bundle.bytes += value.length;
      if (bundle.members.size() >= maxTasks) {
        open.remove(task);
        ready = bundle;
      }
    }
    if (overflow != null) {
      send(overflow);
    }
    if (ready != null) {
      send(ready);
    } else if (started != null) {
      schedule(started);
    }
  }

  /** Sends every open bundle now, on this thread. */
  void sendAll() {
    List<Open> all;
    synchronized (this) {
      all = new ArrayList<>(open.values());
      open.clear();
    }
    all.forEach(this::send);
  }

  /** Drops every open bundle unsent and returns its members' ids. */
  synchronized List<String> dropAll() {
    List<String> ids = new ArrayList<>();
    open.values().forEach(bundle -> bundle.members.forEach(m -> ids.add(m.id())));
    open.clear();
    return ids;
  }

  private void schedule(Open bundle) {
    Runnable due =
        () -> {
          synchronized (this) {
            if (open.get(bundle.task) != bundle) {
              return; // already sent: full, or by sendAll()
            }
            open.remove(bundle.task);
          }
          send(bundle);
        };
    try {
      timer.schedule(due, window.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      due.run(); // closed: the caller's thread sends it
    }
  }

  private void send(Open bundle) {
    try {
      sink.send(bundle.task, bundle.members);
    } catch (RuntimeException e) {
      // The sink has failed each member through its onFailure; nothing is left to do here.
      LOG.debug(
          "bundle of {} tasks of {} not sent: {}",
          bundle.members.size(),
          bundle.task.name(),
          e.toString());
    }
  }

  /** Sends what is open and stops the timer. */
  @Override
  public void close() {
    timer.shutdownNow();
    sendAll();
  }
}
