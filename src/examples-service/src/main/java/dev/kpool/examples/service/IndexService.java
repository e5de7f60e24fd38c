package dev.kpool.examples.service;

import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.Reply;
import dev.kpool.protocol.ReplyStatus;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The callback handler of the example pipeline {@code fetch-doc → parse-doc → index-doc}: a plain
 * Quarkus service that consumes the last stage's reply topic with SmallRye Reactive Messaging and
 * keeps the index entries, one per document. Replies are delivered at least once (a stage may run
 * again after a crash), so entries are keyed by task id and a repeat replaces, never adds.
 */
@ApplicationScoped
public class IndexService {
  private static final Logger LOG = Logger.getLogger(IndexService.class);

  private final ConcurrentMap<String, IndexEntry> entries = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, String> failures = new ConcurrentHashMap<>();
  private final AtomicLong repliesRead = new AtomicLong();

  /** One reply record of the last stage: key = task id, value = a kpool {@link Reply} in JSON. */
  // --- guide: incoming ---
  @Incoming("indexed")
  public void onReply(Record<String, byte[]> record) throws IOException {
    repliesRead.incrementAndGet();
    Reply reply = ProtocolJson.mapper().readValue(record.value(), Reply.class);
    if (reply.status() == ReplyStatus.OK && reply.results().size() == 1) {
      IndexEntry entry =
          ProtocolJson.mapper().treeToValue(reply.results().get(0), IndexEntry.class);
      entries.put(reply.id(), entry); // a repeated reply replaces, never adds
    } else {
      String why =
          reply.error() == null
              ? reply.status().toString()
              : reply.error().type() + ": " + reply.error().message();
      failures.put(reply.id(), why);
      LOG.warnf("document task %s failed in the pipeline: %s", reply.id(), why);
    }
  }

  // --- end ---

  /** The entries by task id, as they are now. */
  public Map<String, IndexEntry> entries() {
    return Map.copyOf(entries);
  }

  /** Failed tasks by id, with the remote error type and message. */
  public Map<String, String> failures() {
    return Map.copyOf(failures);
  }

  /** Reply records consumed, repeats included. */
  public long repliesRead() {
    return repliesRead.get();
  }
}
