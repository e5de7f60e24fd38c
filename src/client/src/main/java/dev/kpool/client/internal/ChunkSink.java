package dev.kpool.client.internal;

import dev.kpool.protocol.Reply;

/** Receives the outcome of each task record of one call, by chunk index. Must not block. */
interface ChunkSink {
  /** Chunk {@code index} replied. */
  void chunk(int index, Reply reply);

  /** Chunk {@code index} will get no reply. */
  void lost(int index, RuntimeException why);
}
