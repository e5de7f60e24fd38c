package dev.kpool.client.internal;

import dev.kpool.client.AsyncResult;
import dev.kpool.client.AsyncTree;
import dev.kpool.client.DetachedTask;
import dev.kpool.client.KpoolException;
import dev.kpool.client.MapOptions;
import dev.kpool.client.Pool;
import dev.kpool.client.PoolClosedException;
import dev.kpool.client.PoolStats;
import dev.kpool.client.ResultIterator;
import dev.kpool.client.Task;
import dev.kpool.client.TreeListener;
import dev.kpool.protocol.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Pool} implementation: task records out through a producer, replies in. */
public final class KafkaPool implements Pool {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPool.class);
  private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(5);

  /** Validated settings from {@link Pool.Builder}. */
  public record Settings(
      String bootstrapServers,
      String pool,
      String clientId,
      boolean durable,
      int maxInFlight,
      Duration submitTimeout,
      Duration closeTimeout,
      Duration taskTimeout,
      int maxTaskBytes,
      int bundleTasks,
      Duration bundleWindow,
      Executor callbackExecutor,
      Map<String, Object> kafkaProperties) {}

  private final Settings settings;
  private final KafkaClients clients;
  private final String replyTopic;
  private final TaskSender sender;
  private final Journal journal;
  private final ReplyListener replies;
  private final InFlight inFlight;
  private final Callbacks callbacks;
  private final Attachments attachments;
  private final Submissions submissions;
  private final AtomicBoolean released = new AtomicBoolean();
  private final Set<String> ensuredTopics = ConcurrentHashMap.newKeySet();
  private volatile boolean terminated;

  private KafkaPool(Settings settings, KafkaClients clients) {
    this.settings = settings;
    this.clients = clients;
    this.replyTopic = Topics.replies(settings.clientId());
    this.sender = new TaskSender(clients.producer(), settings);
    this.journal = settings.durable() ? new Journal(sender::settled) : null;
    this.replies =
        new ReplyListener(
            clients.replyConsumer(), replyTopic, settings.clientId(), journal, this::failPending);
    this.inFlight = new InFlight(settings.maxInFlight());
    this.callbacks =
        Callbacks.create(settings.callbackExecutor(), settings.pool(), settings.clientId());
    this.attachments = journal == null ? null : new Attachments(journal, inFlight, callbacks);
    this.submissions = new Submissions(settings, inFlight, callbacks, replies, sender, journal);
  }

  /** Connects, creates the reply topic if needed, and starts the reply listener. */
  public static Pool start(Settings settings) {
    return start(settings, KafkaClients.create(settings));
  }

  static KafkaPool start(Settings settings, KafkaClients clients) {
    KafkaPool pool = null;
    try {
      clients.admin().ensure(Topics.replies(settings.clientId()));
      pool = new KafkaPool(settings, clients);
      pool.replies.start(Duration.ofSeconds(30));
      LOG.info(
          "pool {} client {} ready, replies on {}{}",
          settings.pool(),
          settings.clientId(),
          pool.replyTopic,
          settings.durable() ? " (durable)" : "");
      return pool;
    } catch (RuntimeException e) {
      if (pool != null) {
        pool.replies.close();
        pool.callbacks.shutdown(Duration.ZERO);
      }
      clients.closeQuietly();
      throw e instanceof KpoolException
          ? e
          : new KpoolException("cannot start pool client: " + e, e);
    }
  }

  @Override
  public String name() {
    return settings.pool();
  }

  @Override
  public String clientId() {
    return settings.clientId();
  }

  @Override
  public boolean durable() {
    return settings.durable();
  }

  // ---- submitting

  @Override
  public <A, R> AsyncResult<R> applyAsync(Task<A, R> task, A arg) {
    return applyAsync(task, arg, null, null);
  }

  @Override
  public <A, R> R apply(Task<A, R> task, A arg, Duration timeout) {
    AsyncResult<R> result = applyAsync(task, arg);
    sender.flushSoon(); // the caller waits for this one record: it should not linger
    return result.get(timeout);
  }

  @Override
  public <A, R> AsyncResult<R> applyAsync(
      Task<A, R> task,
      A arg,
      Consumer<? super R> callback,
      Consumer<? super Throwable> errorCallback) {
    submissions.ensureOpen();
    byte[] value = task.encode(arg);
    String key = task.keyOf(arg);
    String id = newId();
    FutureResult<R> result = new FutureResult<>(id, callbacks);
    submissions.journal(
        result, new JournalEntry(id, task.name(), DetachedTask.Kind.APPLY, 1, 1, 1, now()));
    try {
      submissions.single(id, key, task, value, new ApplyCall<>(task, result));
    } catch (RuntimeException e) {
      result.fail(e); // settles the journaled call; no callback was registered yet
      throw e;
    }
    result.notify(callback, errorCallback);
    return result;
  }

  @Override
  public <A> AsyncTree applyTree(Task<A, ?> task, A arg, TreeListener listener) {
    Objects.requireNonNull(listener, "listener");
    submissions.ensureOpen();
    byte[] value = task.encode(arg);
    String key = task.keyOf(arg);
    String id = newId();
    TreeCall tree = new TreeCall(id, listener, callbacks);
    replies.expectTree(id, tree);
    try {
      submissions.single(id, key, task, value, tree);
    } catch (RuntimeException e) {
      tree.abandon(e);
      throw e;
    }
    return tree;
  }

  @Override
  public <A> String send(Task<A, ?> task, A arg, String replyTopic) {
    Topics.checkTopic(replyTopic);
    submissions.ensureOpen();
    byte[] value = task.encode(arg);
    String key = task.keyOf(arg);
    if (ensuredTopics.add(replyTopic)) {
      clients.admin().ensure(replyTopic);
    }
    String id = newId();
    submissions.unattended(
        id,
        key,
        task,
        value,
        replyTopic,
        e -> LOG.warn("task {} for {} was not written: {}", id, replyTopic, e.toString()));
    return id;
  }

  @Override
  public <A, R> AsyncResult<List<R>> mapAsync(
      Task<A, R> task,
      Collection<? extends A> items,
      MapOptions options,
      Consumer<? super List<R>> callback,
      Consumer<? super Throwable> errorCallback) {
    submissions.ensureOpen();
    int chunksize = options.chunksize();
    Submissions.checkChunking(task, chunksize);
    int size = items.size();
    String mapId = newId();
    FutureResult<List<R>> result = new FutureResult<>(mapId, callbacks);
    Progress progress = new Progress(options.progress(), callbacks, size);
    MapCall<R> call = new MapCall<>(task, size, chunksize, result, progress);
    int chunks = MapCall.chunks(size, chunksize);
    if (chunks > 0) {
      submissions.journal(
          result,
          new JournalEntry(
              mapId, task.name(), DetachedTask.Kind.MAP, size, chunksize, chunks, now()));
    }
    Iterator<? extends A> it = items.iterator();
    try {
      for (int k = 0; k < chunks && !result.ready(); k++) {
        List<A> slice = new ArrayList<>(Math.min(chunksize, size));
        while (slice.size() < chunksize && it.hasNext()) {
          slice.add(it.next());
        }
        submissions.chunk(mapId, k, task, slice, chunksize, call);
      }
    } catch (RuntimeException e) {
      result.fail(e); // drops what the chunks sent so far return; no callback was registered yet
      throw e;
    }
    result.notify(callback, errorCallback);
    return result;
  }

  @Override
  public <A, R> ResultIterator<R> imap(
      Task<A, R> task, Iterable<? extends A> items, MapOptions options) {
    return iterate(task, items, options, true);
  }

  @Override
  public <A, R> ResultIterator<R> imapUnordered(
      Task<A, R> task, Iterable<? extends A> items, MapOptions options) {
    return iterate(task, items, options, false);
  }

  private <A, R> ResultIterator<R> iterate(
      Task<A, R> task, Iterable<? extends A> items, MapOptions options, boolean ordered) {
    submissions.ensureOpen();
    Submissions.checkChunking(task, options.chunksize());
    String id = newId();
    long total = items instanceof Collection<?> c ? c.size() : -1;
    Progress progress = new Progress(options.progress(), callbacks, total);
    ImapIterator.ChunkSender<A> chunks =
        (k, slice, sink) -> submissions.chunk(id, k, task, slice, options.chunksize(), sink);
    return new ImapIterator<A, R>(
            id, task, items.iterator(), options, ordered, chunks, progress, total >= 0)
        .start();
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  // ---- durable handles

  @Override
  public List<DetachedTask> detachedTasks() {
    return attachments == null ? List.of() : attachments.detached();
  }

  @Override
  public <A, R> AsyncResult<R> attach(Task<A, R> task, String taskId) {
    return durableHandles().attach(task, taskId);
  }

  @Override
  public <A, R> AsyncResult<List<R>> attachMap(Task<A, R> task, String mapId) {
    return durableHandles().attachMap(task, mapId);
  }

  @Override
  public void discard(String taskId) {
    if (attachments == null) {
      throw new IllegalArgumentException("no detached task " + taskId + ": client is not durable");
    }
    attachments.discard(taskId);
  }

  private Attachments durableHandles() {
    if (attachments == null) {
      throw new IllegalStateException(
          "client "
              + settings.clientId()
              + " is not durable: build it "
              + "with a stable clientId to re-attach");
    }
    submissions.ensureOpen();
    return attachments;
  }

  // ---- waiting, counters, lifecycle

  @Override
  public boolean flush(Duration timeout) {
    sender.sendBundles(); // else a bundle still in its window would be "written" unsent
    return sender.awaitWritten(timeout);
  }

  @Override
  public void onRoundTrip(LongConsumer listener) {
    submissions.roundTrips().add(listener);
  }

  @Override
  public PoolStats stats() {
    return new PoolStats(
        sender.sent(),
        submissions.settled(),
        inFlight.count(),
        inFlight.peak(),
        replies.repliesRead(),
        replies.repliesIgnored());
  }

  @Override
  public boolean join(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      return inFlight.awaitZero(timeout)
          && callbacks.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void terminate() {
    submissions.close();
    if (released.get()) {
      return;
    }
    terminated = true;
    sender.dropBundles(); // their ids are among the handlers drained below
    List<String> cancelled = new ArrayList<>();
    // Trees first: once their roots are abandoned below, they are gone with their unfinished ids.
    for (TreeCall tree : replies.drainTrees()) {
      cancelled.addAll(tree.unfinished());
      tree.abandon(new CancellationException("pool " + settings.pool() + " was terminated"));
    }
    replies
        .drainHandlers()
        .forEach(
            (id, pending) -> {
              cancelled.add(id);
              pending.abandon(
                  new CancellationException("pool " + settings.pool() + " was terminated"));
            });
    if (attachments != null) {
      cancelled.addAll(
          attachments.failAll(
              new CancellationException("pool " + settings.pool() + " was terminated")));
    }
    if (!cancelled.isEmpty()) {
      try {
        clients.admin().ensure(Topics.control());
        if (!sender.cancel(cancelled, RELEASE_TIMEOUT)) {
          LOG.warn(
              "pool {}: cancel request for {} tasks not confirmed in {}",
              settings.pool(),
              cancelled.size(),
              RELEASE_TIMEOUT);
        }
      } catch (RuntimeException e) {
        LOG.warn(
            "pool {}: cannot send cancel request for {} tasks: {}",
            settings.pool(),
            cancelled.size(),
            e.toString());
      }
    }
    LOG.info(
        "pool {} client {} terminated; {} tasks cancelled",
        settings.pool(),
        settings.clientId(),
        cancelled.size());
    release(false);
  }

  @Override
  public void close() {
    if (!submissions.close()) {
      return;
    }
    boolean drained = join(settings.closeTimeout());
    if (!drained) {
      LOG.warn(
          "pool {} closing with {} results outstanding after {}",
          settings.pool(),
          inFlight.count(),
          settings.closeTimeout());
    }
    release(drained);
  }

  /**
   * Fails everything that waits for a reply with {@code why}: the reply listener stopped for good,
   * so no reply will come. Runs on the listener thread; abandoning only completes futures.
   */
  private void failPending(KpoolException why) {
    if (journal != null) {
      journal.freeze(); // before the handles fail: a durable call stays for the next run
    }
    replies.drainTrees().forEach(tree -> tree.abandon(why));
    replies.drainHandlers().values().forEach(pending -> pending.abandon(why));
    if (attachments != null) {
      attachments.failAll(why);
    }
  }

  /** Closes the Kafka clients and fails what is left; once. */
  private void release(boolean clean) {
    if (!released.compareAndSet(false, true)) {
      return;
    }
    replies.close(); // commits the journal floor; may still write a settled record
    sender.sendBundles();
    sender.awaitWritten(RELEASE_TIMEOUT);
    sender.stopFlushing();
    clients.producer().close(RELEASE_TIMEOUT);
    PoolClosedException why =
        new PoolClosedException("pool " + settings.pool() + " closed before the result came");
    replies.drainHandlers().values().forEach(pending -> pending.abandon(why));
    replies.drainTrees().forEach(tree -> tree.abandon(why));
    if (attachments != null) {
      attachments.failAll(why);
    }
    callbacks.shutdown(RELEASE_TIMEOUT);
    if (clean && !settings.durable() && !terminated) {
      clients.admin().delete(replyTopic);
    }
  }
}
