package dev.kpool.client.internal;

import dev.kpool.protocol.Reply;

/**
 * What waits for one task record's reply. Each method may be called from any thread; at most one
 * wins.
 */
interface PendingReply {
  /** The reply arrived. Called on the reply listener thread; must not block. */
  void complete(Reply reply);

  /** No reply will be read for this task (send failed, pool closed or terminated). */
  void abandon(RuntimeException why);
}
