package dev.kpool.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.kpool.client.AsyncResult;
import dev.kpool.client.KpoolException;
import dev.kpool.client.Pool;
import dev.kpool.client.PoolClosedException;
import dev.kpool.client.RetriableKpoolException;
import dev.kpool.client.Task;
import dev.kpool.protocol.ContentType;
import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.Reply;
import dev.kpool.protocol.ReplyStatus;
import dev.kpool.protocol.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Pool} implementation: task records out through a producer, replies in. */
public final class KafkaPool implements Pool {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPool.class);

  /** Validated settings from {@link Pool.Builder}. */
  public record Settings(
      String bootstrapServers,
      String pool,
      String clientId,
      int maxInFlight,
      Duration submitTimeout,
      Duration closeTimeout,
      Duration taskTimeout,
      Executor callbackExecutor,
      java.util.Map<String, Object> kafkaProperties) {}

  private final Settings settings;
  private final String taskTopic;
  private final String replyTopic;
  private final KafkaProducer<String, byte[]> producer;
  private final ReplyListener replies;
  private final InFlight inFlight;
  private final Executor callbacks;
  private final ExecutorService ownedCallbacks;
  private final AtomicBoolean closed = new AtomicBoolean();

  private KafkaPool(Settings settings, KafkaClients clients) {
    this.settings = settings;
    this.taskTopic = Topics.tasks(settings.pool());
    this.replyTopic = Topics.replies(settings.clientId());
    this.producer = clients.producer();
    this.replies = new ReplyListener(clients.replyConsumer(), replyTopic, settings.clientId());
    this.inFlight = new InFlight(settings.maxInFlight());
    if (settings.callbackExecutor() != null) {
      this.callbacks = settings.callbackExecutor();
      this.ownedCallbacks = null;
    } else {
      this.ownedCallbacks =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "kpool-callbacks-" + settings.clientId());
                t.setDaemon(true);
                return t;
              });
      this.callbacks = ownedCallbacks;
    }
  }

  /** Connects, creates the reply topic if needed, and starts the reply listener. */
  public static Pool start(Settings settings) {
    KafkaClients clients = KafkaClients.create(settings);
    try {
      clients.ensureTopic(Topics.replies(settings.clientId()));
      KafkaPool pool = new KafkaPool(settings, clients);
      pool.replies.start(Duration.ofSeconds(30));
      LOG.info("pool {} client {} ready, replies on {}", settings.pool(), settings.clientId(),
          pool.replyTopic);
      return pool;
    } catch (RuntimeException e) {
      clients.closeQuietly();
      throw e instanceof KpoolException ? e : new KpoolException("cannot start pool client: " + e, e);
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
  public <A, R> AsyncResult<R> applyAsync(Task<A, R> task, A arg) {
    return applyAsync(task, arg, null, null);
  }

  @Override
  public <A, R> AsyncResult<R> applyAsync(
      Task<A, R> task, A arg, Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
    byte[] value = task.encode(arg);
    CompletableFuture<R> future = new CompletableFuture<>();
    String id = newId();
    FutureResult<R> result = new FutureResult<>(id, future);
    submit(id, task, value, 0, reply -> {
      result.workerPid(reply.pid());
      future.complete(task.decode(reply.results().get(0)));
    }, future::completeExceptionally);
    attachCallbacks(future, callback, errorCallback);
    return result;
  }

  @Override
  public <A, R> AsyncResult<List<R>> mapAsync(
      Task<A, R> task,
      List<? extends A> items,
      int chunksize,
      Consumer<? super List<R>> callback,
      Consumer<? super Throwable> errorCallback) {
    if (chunksize < 1) {
      throw new IllegalArgumentException("chunksize must be at least 1: " + chunksize);
    }
    if (chunksize > 1 && task.contentType() == ContentType.BYTES) {
      throw new IllegalArgumentException("byte tasks cannot be chunked: " + task.name());
    }
    CompletableFuture<List<R>> future = new CompletableFuture<>();
    String firstId = newId();
    FutureResult<List<R>> result = new FutureResult<>(firstId, future);
    int chunks = (items.size() + chunksize - 1) / chunksize;
    List<List<R>> parts = Collections.synchronizedList(new ArrayList<>(Collections.nCopies(chunks, null)));
    AtomicInteger remaining = new AtomicInteger(chunks);
    if (chunks == 0) {
      future.complete(List.of());
    }
    for (int c = 0; c < chunks && !future.isDone(); c++) {
      int from = c * chunksize;
      List<? extends A> slice = items.subList(from, Math.min(items.size(), from + chunksize));
      int index = c;
      Consumer<Reply> onOk =
          reply -> {
            List<R> decoded = new ArrayList<>(reply.results().size());
            for (JsonNode node : reply.results()) {
              decoded.add(task.decode(node));
            }
            parts.set(index, decoded);
            result.workerPid(reply.pid());
            if (remaining.decrementAndGet() == 0) {
              List<R> all = new ArrayList<>(items.size());
              parts.forEach(all::addAll);
              future.complete(all);
            }
          };
      String id = c == 0 ? firstId : newId();
      if (slice.size() == 1) {
        submit(id, task, task.encode(slice.get(0)), 0, onOk, future::completeExceptionally);
      } else {
        submit(id, task, encodeChunk(task, slice), slice.size(), onOk, future::completeExceptionally);
      }
    }
    attachCallbacks(future, callback, errorCallback);
    return result;
  }

  private <A> byte[] encodeChunk(Task<A, ?> task, List<? extends A> slice) {
    ArrayNode array = ProtocolJson.mapper().createArrayNode();
    for (A item : slice) {
      array.add(task.encodeItem(item));
    }
    try {
      return ProtocolJson.mapper().writeValueAsBytes(array);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot encode chunk of task " + task.name(), e);
    }
  }

  /**
   * Sends one task record and registers what to do with its reply. {@code chunk} is the number of
   * items in a chunked record, 0 for a single item.
   */
  private static String newId() {
    return UUID.randomUUID().toString();
  }

  private void submit(
      String id,
      Task<?, ?> task,
      byte[] value,
      int chunk,
      Consumer<Reply> onOk,
      Consumer<Throwable> onFailure) {
    if (closed.get()) {
      throw new PoolClosedException("pool " + settings.pool() + " is closed");
    }
    acquire();
    PendingReply pending = new Settlement(onOk, onFailure);
    replies.expect(id, pending);
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(taskTopic, null, id, value, headers(task, id, chunk));
    try {
      producer.send(
          record,
          (metadata, e) -> {
            if (e != null) {
              replies.forget(id);
              pending.abandon(new RetriableKpoolException("could not send task " + id + ": " + e, e));
            }
          });
    } catch (RuntimeException e) {
      replies.forget(id);
      KpoolException failure = new KpoolException("could not send task " + id + ": " + e, e);
      pending.abandon(failure);
      throw failure;
    }
  }

  private RecordHeaders headers(Task<?, ?> task, String id, int chunk) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(HeaderNames.TASK, utf8(task.name()));
    headers.add(HeaderNames.ID, utf8(id));
    headers.add(HeaderNames.REPLY_TO, utf8(replyTopic));
    headers.add(HeaderNames.ATTEMPT, utf8("1"));
    headers.add(HeaderNames.CLIENT, utf8(settings.clientId()));
    headers.add(HeaderNames.CONTENT_TYPE, utf8(task.contentType().mime()));
    if (chunk > 0) {
      headers.add(HeaderNames.CHUNK, utf8(Integer.toString(chunk)));
    }
    if (settings.taskTimeout() != null) {
      long deadline = System.currentTimeMillis() + settings.taskTimeout().toMillis();
      headers.add(HeaderNames.DEADLINE, utf8(Long.toString(deadline)));
    }
    return headers;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void acquire() {
    try {
      if (!inFlight.acquire(settings.submitTimeout())) {
        throw new RetriableKpoolException(
            settings.maxInFlight() + " tasks already in flight on pool " + settings.pool()
                + "; no room within " + settings.submitTimeout());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KpoolException("interrupted while waiting to submit", e);
    }
  }

  private <R> void attachCallbacks(
      CompletableFuture<R> future, Consumer<? super R> callback, Consumer<? super Throwable> errorCallback) {
    if (callback == null && errorCallback == null) {
      return;
    }
    future.whenCompleteAsync(
        (result, error) -> {
          try {
            if (error == null) {
              if (callback != null) {
                callback.accept(result);
              }
            } else if (errorCallback != null) {
              errorCallback.accept(error);
            }
          } catch (RuntimeException e) {
            LOG.warn("callback of pool {} threw: {}", settings.pool(), e.toString(), e);
          }
        },
        callbacks);
  }

  /** Settles one task exactly once, whichever of reply, send failure or close comes first. */
  private final class Settlement implements PendingReply {
    private final AtomicBoolean settled = new AtomicBoolean();
    private final Consumer<Reply> onOk;
    private final Consumer<Throwable> onFailure;

    Settlement(Consumer<Reply> onOk, Consumer<Throwable> onFailure) {
      this.onOk = onOk;
      this.onFailure = onFailure;
    }

    @Override
    public void complete(Reply reply) {
      if (!settled.compareAndSet(false, true)) {
        return;
      }
      inFlight.release();
      try {
        if (reply.status() == ReplyStatus.OK) {
          onOk.accept(reply);
        } else {
          onFailure.accept(ReplyOutcome.failure(reply));
        }
      } catch (RuntimeException e) {
        onFailure.accept(e);
      }
    }

    @Override
    public void abandon(RuntimeException why) {
      if (settled.compareAndSet(false, true)) {
        inFlight.release();
        onFailure.accept(why);
      }
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (!inFlight.awaitZero(settings.closeTimeout())) {
        LOG.warn("pool {} closing with {} results outstanding after {}", settings.pool(),
            inFlight.count(), settings.closeTimeout());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(10));
    replies.close();
    PoolClosedException closedError =
        new PoolClosedException("pool " + settings.pool() + " closed before the result came");
    replies.drainHandlers().values().forEach(pending -> pending.abandon(closedError));
    if (ownedCallbacks != null) {
      ownedCallbacks.shutdown();
      try {
        ownedCallbacks.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
