package dev.kpool.supervisor.fault;

import dev.kpool.protocol.DeadLetterReason;
import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.RemoteError;
import dev.kpool.protocol.Reply;
import dev.kpool.protocol.ReplyStatus;
import dev.kpool.protocol.TaskBundle;
import dev.kpool.supervisor.fault.TaskSettler.Verdict;
import dev.kpool.supervisor.kafka.MalformedTaskException;
import dev.kpool.supervisor.kafka.RecordWriter;
import dev.kpool.supervisor.kafka.TaskRecords;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

/**
 * Settles a bundle record ({@link HeaderNames#BUNDLE}): splits it into one task record per member,
 * runs each as if it had come alone (its own reply, retries, time limit and dead letter), and gives
 * the bundle its verdict once every member has one. Thread-safe.
 *
 * <p>A member the pool did not run (it is stopping) is parked on the retry topic as the same
 * attempt, so that the bundle can be ACCEPTed without running its finished members again. A member
 * RELEASEd because its outcome could not be written (Kafka is failing) RELEASEs the whole bundle, so
 * that the bundle's delivery count, and with it the share group's delivery limit, bounds the
 * repeats; its finished members run again and the client drops their second replies.
 *
 * <p>A keyed pool holds retries in place, per record, which a bundle's members cannot share; so
 * there a bundle is not run but unbundled: each member is written back to the task topic as a task
 * record of its own, and the bundle is ACCEPTed once they all are.
 */
final class BundleSettler {
  private static final Logger LOG = Logger.getLogger(BundleSettler.class);

  private final String pool;
  private final boolean keyed;
  private final RecordWriter writer;
  private final RetryRoute retries;
  private final TaskSettler settler;

  /** @param settler settles each member, and dead-letters a bundle that does not decode */
  BundleSettler(
      String pool, boolean keyed, RecordWriter writer, RetryRoute retries, TaskSettler settler) {
    this.pool = pool;
    this.keyed = keyed;
    this.writer = writer;
    this.retries = retries;
    this.settler = settler;
  }

  /** Runs every member of {@code bundle}; completes with the bundle's verdict, never exceptionally. */
  CompletableFuture<Verdict> run(ConsumerRecord<String, byte[]> bundle, int deliveries) {
    List<ConsumerRecord<String, byte[]>> members;
    try {
      members = split(bundle);
    } catch (IllegalArgumentException e) {
      return malformed(bundle, e.getMessage(), deliveries);
    }
    if (keyed) {
      return unbundle(members);
    }
    List<CompletableFuture<Verdict>> verdicts = new ArrayList<>(members.size());
    for (ConsumerRecord<String, byte[]> member : members) {
      AtomicInteger notRunAttempt = new AtomicInteger(-1); // set if the pool did not run it
      verdicts.add(
          settler
              .runOne(member, deliveries, notRunAttempt::set)
              .thenCompose(
                  verdict ->
                      verdict == Verdict.RELEASE && notRunAttempt.get() >= 0
                          ? retries.retry(member, notRunAttempt.get(), Duration.ZERO)
                          : CompletableFuture.completedFuture(verdict)));
    }
    return CompletableFuture.allOf(verdicts.toArray(CompletableFuture[]::new))
        .thenApply(
            done ->
                verdicts.stream().anyMatch(v -> v.join() == Verdict.RELEASE)
                    ? Verdict.RELEASE
                    : Verdict.ACCEPT);
  }

  /** Writes each member to the task topic as a record of its own; ACCEPTs once all are written. */
  private CompletableFuture<Verdict> unbundle(List<ConsumerRecord<String, byte[]>> members) {
    CompletableFuture<?>[] writes =
        members.stream()
            .map(member -> writer.relay(pool, member))
            .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(writes)
        .handle(
            (ok, e) -> {
              if (e != null) {
                LOG.warnf(
                    "pool %s: cannot unbundle %d tasks for the keyed pool; releasing the bundle: %s",
                    pool, members.size(), e.toString());
                return Verdict.RELEASE;
              }
              return Verdict.ACCEPT;
            });
  }

  /**
   * One task record per member: the bundle's headers without {@link HeaderNames#BUNDLE}, the
   * member's id as id and key, its argument as value, and the bundle's coordinates.
   *
   * @throws IllegalArgumentException if the bundle does not follow {@link TaskBundle}
   */
  static List<ConsumerRecord<String, byte[]>> split(ConsumerRecord<String, byte[]> bundle) {
    int count;
    try {
      count = TaskRecords.intHeader(bundle.headers(), HeaderNames.BUNDLE, 0);
    } catch (MalformedTaskException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    if (count < 1) {
      throw new IllegalArgumentException(
          "header " + HeaderNames.BUNDLE + " must be at least 1: " + count);
    }
    if (bundle.headers().lastHeader(HeaderNames.CHUNK) != null) {
      throw new IllegalArgumentException("a bundle's tasks cannot be chunks");
    }
    List<TaskBundle.Parsed> parsed = TaskBundle.decode(valueBytes(bundle), count);
    List<ConsumerRecord<String, byte[]>> members = new ArrayList<>(count);
    for (TaskBundle.Parsed member : parsed) {
      RecordHeaders headers = new RecordHeaders(bundle.headers().toArray());
      headers.remove(HeaderNames.BUNDLE);
      headers.remove(HeaderNames.ID);
      headers.add(HeaderNames.ID, member.id().getBytes(StandardCharsets.UTF_8));
      byte[] arg;
      try {
        arg = ProtocolJson.mapper().writeValueAsBytes(member.arg());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalArgumentException(
            "bundle member " + member.id() + " cannot be re-encoded: " + e);
      }
      members.add(
          new ConsumerRecord<>(
              bundle.topic(),
              bundle.partition(),
              bundle.offset(),
              bundle.timestamp(),
              bundle.timestampType(),
              -1,
              arg.length,
              member.id(),
              arg,
              headers,
              Optional.empty()));
    }
    return members;
  }

  /**
   * Dead-letters a bundle that cannot be split, after an error reply to each member id that can be
   * read from it; REJECTs, or RELEASEs if the dead letter cannot be written.
   */
  private CompletableFuture<Verdict> malformed(
      ConsumerRecord<String, byte[]> bundle, String why, int deliveries) {
    String what = "bundle at " + TaskRecords.taskId(bundle);
    LOG.warnf("pool %s: malformed %s: %s", pool, what, why);
    RemoteError error = RemoteError.of(RemoteError.MALFORMED, why);
    List<Reply> replies =
        replyIds(bundle).stream()
            .map(id -> Reply.failed(id, ReplyStatus.ERROR, List.of(), error, 0, deliveries, 0))
            .toList();
    return settler.deadLetter(
        bundle,
        what,
        TaskRecords.header(bundle.headers(), HeaderNames.REPLY_TO),
        replies,
        error,
        DeadLetterReason.MALFORMED,
        deliveries);
  }

  /**
   * The ids that a refused bundle's error replies go to: each member id that can be read from its
   * value, else the record's own task id, so that a submitter whose reply topic can be read always
   * hears why (a bundle header that is garbage on a record that is no bundle at all, say).
   */
  static List<String> replyIds(ConsumerRecord<String, byte[]> bundle) {
    List<String> ids = TaskBundle.readableIds(valueBytes(bundle));
    return ids.isEmpty() ? List.of(TaskRecords.taskId(bundle)) : ids;
  }

  private static byte[] valueBytes(ConsumerRecord<String, byte[]> record) {
    return record.value() == null ? new byte[0] : record.value();
  }
}
