package dev.kpool.supervisor.fault;

import dev.kpool.protocol.DeadLetterReason;
import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.RemoteError;
import dev.kpool.protocol.Reply;
import dev.kpool.protocol.ReplyStatus;
import dev.kpool.protocol.RetryPolicy;
import dev.kpool.protocol.Stage;
import dev.kpool.supervisor.config.PoolConfig;
import dev.kpool.supervisor.dispatch.Outcome;
import dev.kpool.supervisor.dispatch.ProcessPool;
import dev.kpool.supervisor.dispatch.TaskWork;
import dev.kpool.supervisor.kafka.FollowUps;
import dev.kpool.supervisor.kafka.MalformedTaskException;
import dev.kpool.supervisor.kafka.RecordWriter;
import dev.kpool.supervisor.kafka.TaskRecords;
import dev.kpool.supervisor.metrics.TaskFlow;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Takes one task record from parsing to a durable outcome, whichever consumer fetched it: runs it
 * on the pool, writes the reply (and the dead letter where one is due) or schedules its retry, and
 * only then gives its verdict. Thread-safe.
 *
 * <p>Retries follow the record's {@link RetryPolicy}: a failure whose error is retryable, or a
 * worker crash, is run again after a backoff while runs remain; a non-retryable failure is replied
 * at once; a timeout is not retried (its deadline covers every run) and is dead-lettered. A
 * retryable failure past the limit is replied and dead-lettered as {@code too many attempts}, a
 * crash past it as {@code crashed}; a policy of one attempt replies a retryable failure without a
 * dead letter, as it asked for no retries.
 *
 * <p>Across a broker outage: a delivery of a task that still runs here joins that run and gets its
 * verdict ({@link HeldTasks}); a delivery of a task already replied is acknowledged unrun ({@link
 * SettledTasks}); an outcome whose write fails while Kafka is away is written again for a while
 * ({@link PatientWrite}) before the record is released to run again.
 */
public final class TaskSettler {
  private static final Logger LOG = Logger.getLogger(TaskSettler.class);

  /** Settled tasks remembered to skip their redeliveries: some MB, and minutes of a busy pool. */
  private static final int SETTLED_REMEMBERED = 50_000;

  /** What the consumer should do with the record, in share-group terms. */
  public enum Verdict {
    /** Done: its reply is written. */
    ACCEPT,
    /** Done: it is dead-lettered (and replied with an error where a reply was asked for). */
    REJECT,
    /** Not done: it should be delivered again (the pool is stopping, or a retry could not be parked). */
    RELEASE
  }

  private final String pool;
  private final PoolConfig config;
  private final ProcessPool processes;
  private final RecordWriter writer;
  private final FollowUps followUps;
  private final RetryRoute retries;
  private final BundleSettler bundles;
  private final SettledTasks settled = new SettledTasks(SETTLED_REMEMBERED);
  private final HeldTasks held = new HeldTasks();
  private final PatientWrite patient;
  private final TaskFlow flow;

  public TaskSettler(
      String pool,
      PoolConfig config,
      ProcessPool processes,
      RecordWriter writer,
      FollowUps followUps,
      RetryRoute retries) {
    this(pool, config, processes, writer, followUps, retries, new TaskFlow());
  }

  /** As above, telling {@code flow} of waits, retries, dead letters and reply writes. */
  public TaskSettler(
      String pool,
      PoolConfig config,
      ProcessPool processes,
      RecordWriter writer,
      FollowUps followUps,
      RetryRoute retries,
      TaskFlow flow) {
    this.flow = flow;
    this.pool = pool;
    this.config = config;
    this.processes = processes;
    this.writer = writer;
    this.followUps = followUps;
    this.retries = retries;
    this.patient = new PatientWrite(pool);
    this.bundles = new BundleSettler(pool, config.keyed(), writer, retries, this);
  }

  /**
   * Runs one task record to its verdict: replied and ACCEPT, dead-lettered and REJECT, parked for a
   * retry and ACCEPT (or held by the lane's route), or RELEASE when it should run again now.
   * Completes on a slot or producer thread; never exceptionally. A bundle record's tasks run one
   * by one, each settled as if it had come alone, and the bundle's verdict follows theirs (see
   * {@link BundleSettler}).
   *
   * @param deliveries how often the record has been delivered, from 1
   */
  public CompletableFuture<Verdict> run(ConsumerRecord<String, byte[]> record, int deliveries) {
    return record.headers().lastHeader(HeaderNames.BUNDLE) == null
        ? runOne(record, deliveries, attempt -> {})
        : bundles.run(record, deliveries);
  }

  /**
   * Runs one (non-bundle) task record to its verdict, as {@link #run} does.
   *
   * @param onNotRun given the task's attempt before a RELEASE because the pool did not run it at
   *     all (it is stopping), as against one because an outcome could not be written
   */
  CompletableFuture<Verdict> runOne(
      ConsumerRecord<String, byte[]> record, int deliveries, IntConsumer onNotRun) {
    String replyTo = TaskRecords.header(record.headers(), HeaderNames.REPLY_TO);
    TaskWork work;
    RetryPolicy policy;
    try {
      work = TaskRecords.parse(record, deliveries, config.maxTaskBytes());
      policy = TaskRecords.retryPolicy(record.headers(), config.retryPolicy());
    } catch (MalformedTaskException e) {
      String id = TaskRecords.taskId(record);
      LOG.warnf("pool %s: malformed task %s: %s", pool, id, e.getMessage());
      RemoteError error = RemoteError.of(e.errorType(), e.getMessage());
      return deadLetter(
          record,
          replyTo,
          Reply.failed(id, ReplyStatus.ERROR, List.of(), error, 0, deliveries, 0),
          e.deadLetterReason(),
          deliveries);
    }
    // Settled is asked after the task is held, so that a copy finishing meanwhile (it is added to
    // settled before it leaves held) is seen by one check or the other.
    HeldTasks.Held run =
        held.run(
            heldKey(record, work),
            () ->
                settledAlready(record, work)
                    ? CompletableFuture.completedFuture(Verdict.ACCEPT)
                    : start(record, work, policy, replyTo, onNotRun));
    if (run.start() == HeldTasks.Start.JOINED) {
      LOG.infof("pool %s: redelivered task %s joined its running copy", pool, work.id());
    }
    return run.verdict();
  }

  /**
   * A held task's key: a pipeline stage handed on to a stage of the same task name has the same id
   * and name, so the stages still to come are part of it.
   */
  private static String heldKey(ConsumerRecord<String, byte[]> record, TaskWork work) {
    String then = TaskRecords.header(record.headers(), HeaderNames.THEN);
    return SettledTasks.key(work.id(), then == null ? work.task() : work.task() + '\u0000' + then);
  }

  private boolean settledAlready(ConsumerRecord<String, byte[]> record, TaskWork work) {
    if (!settled.contains(work.id(), work.task())
        || record.headers().lastHeader(HeaderNames.REPLAY_OF) != null) {
      return false;
    }
    // Delivered again though its outcome is written: the broker lost the acknowledgement (it
    // restarted, say). A replay of a dead letter is meant to run again, so it is not skipped.
    LOG.infof("pool %s: redelivered task %s is settled already; acknowledging it", pool, work.id());
    return true;
  }

  private CompletableFuture<Verdict> start(
      ConsumerRecord<String, byte[]> record,
      TaskWork work,
      RetryPolicy policy,
      String replyTo,
      IntConsumer onNotRun) {
    String root = TaskRecords.header(record.headers(), HeaderNames.ROOT);
    followUps.started(
        new FollowUps.Parent(
            pool,
            work.id(),
            root == null ? work.id() : root,
            replyTo,
            TaskRecords.header(record.headers(), HeaderNames.CLIENT),
            TaskRecords.header(record.headers(), HeaderNames.TRACEPARENT)));
    return processes
        .submit(work)
        .thenCompose(
            outcome ->
                followUps
                    .finished(work.id())
                    .handle(
                        (children, e) -> {
                          if (e == null) {
                            return settle(
                                new Settling(record, work, policy, replyTo, root, onNotRun),
                                outcome,
                                children);
                          }
                          LOG.warnf(
                              "pool %s: follow-up tasks of %s could not be enqueued: %s",
                              pool, work.id(), e.toString());
                          RemoteError error =
                              RemoteError.of(
                                  "kpool.FollowUpFailed",
                                  "follow-up tasks could not be enqueued: " + e);
                          return deadLetter(
                              record,
                              replyTo,
                              Reply.failed(
                                      work.id(),
                                      ReplyStatus.ERROR,
                                      List.of(),
                                      error,
                                      outcome.pid(),
                                      work.attempt(),
                                      outcome.elapsedMillis())
                                  .inTree(work.task(), tree(record, work, root, List.of())),
                              DeadLetterReason.FOLLOW_UP_FAILED,
                              work.attempt());
                        })
                    .thenCompose(ack -> ack));
  }

  /** One parsed record on its way to a verdict. */
  private record Settling(
      ConsumerRecord<String, byte[]> record,
      TaskWork work,
      RetryPolicy policy,
      String replyTo,
      String root,
      IntConsumer onNotRun) {}

  private CompletableFuture<Verdict> settle(Settling s, Outcome outcome, List<String> children) {
    TaskWork work = s.work();
    if (outcome.kind() != Outcome.Kind.NOT_RUN && outcome.kind() != Outcome.Kind.CANCELLED) {
      flow.waited(System.currentTimeMillis() - outcome.elapsedMillis() - s.record().timestamp());
    }
    Reply untreed =
        switch (outcome.kind()) {
          case OK ->
              Reply.ok(
                  work.id(),
                  outcome.results(),
                  outcome.pid(),
                  work.attempt(),
                  outcome.elapsedMillis());
          case FAILED, CRASHED ->
              Reply.failed(
                  work.id(),
                  ReplyStatus.ERROR,
                  outcome.results(),
                  outcome.error(),
                  outcome.pid(),
                  work.attempt(),
                  outcome.elapsedMillis());
          case TIMED_OUT ->
              Reply.failed(
                  work.id(),
                  ReplyStatus.TIMEOUT,
                  outcome.results(),
                  outcome.error(),
                  outcome.pid(),
                  work.attempt(),
                  outcome.elapsedMillis());
          case CANCELLED ->
              Reply.failed(
                  work.id(),
                  ReplyStatus.CANCELLED,
                  outcome.results(),
                  outcome.error(),
                  outcome.pid(),
                  work.attempt(),
                  outcome.elapsedMillis());
          case NOT_RUN -> null;
        };
    Reply reply =
        untreed == null
            ? null
            : untreed.inTree(work.task(), tree(s.record(), work, s.root(), children));
    SettleDecision decision =
        SettleDecision.of(outcome.kind(), outcome.error(), s.policy(), work.attempt());
    return switch (decision.action()) {
      case RELEASE -> {
        s.onNotRun().accept(work.attempt());
        yield CompletableFuture.completedFuture(Verdict.RELEASE);
      }
      case RETRY -> retry(s, reply);
      case DEAD_LETTER ->
          deadLetter(s.record(), s.replyTo(), reply, decision.reason(), work.attempt());
      case REPLY ->
          outcome.kind() == Outcome.Kind.OK
                  && s.record().headers().lastHeader(HeaderNames.THEN) != null
              ? nextStage(s, reply)
              : replyThen(s.record(), s.replyTo(), reply, Verdict.ACCEPT, work.attempt());
    };
  }

  /**
   * Hands a pipeline stage's result to the next stage instead of replying; the record is settled
   * once the next stage's record is written, or, if it cannot be, replied as failed and
   * dead-lettered.
   */
  private CompletableFuture<Verdict> nextStage(Settling s, Reply reply) {
    ConsumerRecord<String, byte[]> record = s.record();
    CompletableFuture<Void> written;
    try {
      List<Stage> stages = Stage.decode(record.headers().lastHeader(HeaderNames.THEN).value());
      boolean chunk = record.headers().lastHeader(HeaderNames.CHUNK) != null;
      written =
          stages.isEmpty()
              ? null
              : patient.write(
                  "next stage of task " + reply.id(),
                  () ->
                      writer.nextStage(
                          record, stages, chunk ? reply.results() : reply.results().get(0)));
    } catch (RuntimeException e) {
      written = CompletableFuture.failedFuture(e);
    }
    if (written == null) {
      return replyThen(record, s.replyTo(), reply, Verdict.ACCEPT, s.work().attempt());
    }
    return written
        .handle((ok, e) -> e)
        .thenCompose(
            e -> {
              if (e == null) {
                return CompletableFuture.completedFuture(Verdict.ACCEPT);
              }
              String why =
                  e instanceof CompletionException && e.getCause() != null
                      ? e.getCause().toString()
                      : e.toString();
              RemoteError error =
                  RemoteError.of(
                      "kpool.StageFailed", "the next pipeline stage could not be enqueued: " + why);
              return deadLetter(
                  record,
                  s.replyTo(),
                  Reply.failed(
                          reply.id(),
                          ReplyStatus.ERROR,
                          List.of(),
                          error,
                          reply.pid(),
                          reply.attempt(),
                          reply.elapsedMillis())
                      .inTree(reply.task(), reply.tree()),
                  DeadLetterReason.STAGE_FAILED,
                  s.work().attempt());
            });
  }

  /** The task's place in its tree, or {@code null} if it is neither a follow-up nor has any. */
  private static Reply.Tree tree(
      ConsumerRecord<String, byte[]> record, TaskWork work, String root, List<String> children) {
    if (root == null && children.isEmpty()) {
      return null;
    }
    return new Reply.Tree(
        root == null ? work.id() : root,
        TaskRecords.header(record.headers(), HeaderNames.PARENT),
        children);
  }

  /** Schedules the next run after the policy's backoff. */
  private CompletableFuture<Verdict> retry(Settling s, Reply reply) {
    int attempt = s.work().attempt();
    Duration delay = s.policy().delayBefore(attempt + 1, ThreadLocalRandom.current().nextDouble());
    LOG.infof(
        "pool %s: task %s attempt %d of %d failed (%s); retrying in %d ms",
        pool,
        s.work().id(),
        attempt,
        s.policy().maxAttempts(),
        reply.error().type(),
        delay.toMillis());
    flow.retried();
    return retries.retry(s.record(), attempt + 1, delay);
  }

  /** Writes the reply (if anyone asked for one), then settles with {@code ack}. */
  private CompletableFuture<Verdict> replyThen(
      ConsumerRecord<String, byte[]> record,
      String replyTo,
      Reply reply,
      Verdict ack,
      int attempts) {
    if (replyTo == null) {
      return CompletableFuture.completedFuture(ack);
    }
    long sent = System.nanoTime();
    String traceparent = TaskRecords.header(record.headers(), HeaderNames.TRACEPARENT);
    CompletableFuture<Void> written =
        writeReply(replyTo, reply, traceparent)
            .thenRun(
                () -> {
                  flow.replyWritten(System.nanoTime() - sent);
                  settled.add(reply.id(), reply.task());
                });
    if (processes.queued() == 0 && processes.busyWorkers() <= 1) {
      // Nothing queued and no other worker busy (the one counted may be this task's): no reply of
      // this pool follows at once, so don't let this one linger. Flushing while other workers run
      // sent a produce request per reply, half of the supervisor's CPU in a JFR of
      // noop-apply-async.
      writer.flushSoon();
    }
    return written
        .handle((ok, e) -> e)
        .thenCompose(
            e -> {
              if (e == null) {
                return CompletableFuture.completedFuture(ack);
              }
              Throwable cause =
                  e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
              if (PatientWrite.isTransient(cause)) {
                // Kafka was unreachable or slow for all of the patience: the reply may well be
                // written
                // later, and a dead letter now would leave the task with both a dead letter and,
                // after its
                // release, a reply. So it runs again instead.
                LOG.warnf(
                    "pool %s: cannot reply to %s for task %s, releasing it to run again: %s",
                    pool, replyTo, reply.id(), cause.toString());
                return CompletableFuture.completedFuture(Verdict.RELEASE);
              }
              LOG.warnf(
                  "pool %s: cannot reply to %s for task %s: %s",
                  pool, replyTo, reply.id(), cause.toString());
              RemoteError error =
                  RemoteError.of(
                      "kpool.ReplyFailed",
                      "reply to " + replyTo + " failed: " + cause.getMessage());
              return patient
                  .write(
                      "dead letter of task " + reply.id(),
                      () ->
                          writer.deadLetter(
                              pool, record, DeadLetterReason.REPLY_FAILED, error, attempts))
                  .handle(
                      (ok, dlqError) -> {
                        if (dlqError != null) {
                          return Verdict.RELEASE;
                        }
                        flow.deadLettered(DeadLetterReason.REPLY_FAILED);
                        return Verdict.REJECT;
                      });
            });
  }

  /** Writes {@code reply}, patient with a Kafka that is away for a while. */
  private CompletableFuture<Void> writeReply(String replyTo, Reply reply, String traceparent) {
    return patient.write(
        "reply to task " + reply.id(), () -> writer.reply(replyTo, reply, traceparent));
  }

  /** Writes the error reply and a dead letter, then REJECTs; RELEASEs if the dead letter cannot be written. */
  private CompletableFuture<Verdict> deadLetter(
      ConsumerRecord<String, byte[]> record,
      String replyTo,
      Reply reply,
      DeadLetterReason reason,
      int attempts) {
    return deadLetter(
        record, "task " + reply.id(), replyTo, List.of(reply), reply.error(), reason, attempts);
  }

  /**
   * Writes {@code replies} (where a reply-to topic was given; a reply that fails is only logged) and
   * then a dead letter of {@code record} for {@code reason}, and REJECTs; RELEASEs if the dead letter
   * cannot be written.
   *
   * @param what names the record in the log, e.g. {@code task <id>}
   */
  CompletableFuture<Verdict> deadLetter(
      ConsumerRecord<String, byte[]> record,
      String what,
      String replyTo,
      List<Reply> replies,
      RemoteError error,
      DeadLetterReason reason,
      int attempts) {
    String traceparent = TaskRecords.header(record.headers(), HeaderNames.TRACEPARENT);
    CompletableFuture<?>[] replied =
        replyTo == null
            ? new CompletableFuture<?>[0]
            : replies.stream()
                .map(
                    reply ->
                        writeReply(replyTo, reply, traceparent)
                            .exceptionally(
                                e -> {
                                  LOG.warnf(
                                      "pool %s: cannot reply to %s for task %s: %s",
                                      pool, replyTo, reply.id(), e.toString());
                                  return null;
                                }))
                .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(replied)
        .thenCompose(
            ignored ->
                patient.write(
                    "dead letter of " + what,
                    () -> writer.deadLetter(pool, record, reason, error, attempts)))
        .handle(
            (ok, e) -> {
              if (e != null) {
                LOG.errorf(
                    "pool %s: cannot dead-letter %s (%s); releasing it: %s",
                    pool, what, reason.wireName(), e);
                return Verdict.RELEASE;
              }
              LOG.warnf(
                  "pool %s: %s dead-lettered: %s: %s",
                  pool, what, reason.wireName(), error.message());
              flow.deadLettered(reason);
              return Verdict.REJECT;
            });
  }
}
