package dev.kpool.client.internal;

import dev.kpool.client.KpoolException;
import dev.kpool.client.Task;
import dev.kpool.protocol.Reply;
import dev.kpool.protocol.ReplyStatus;

/** The one task record of an {@code apply}, read into its handle. */
final class ApplyCall<R> implements ChunkSink {
  private final Task<?, R> task;
  private final FutureResult<R> result;

  ApplyCall(Task<?, R> task, FutureResult<R> result) {
    this.task = task;
    this.result = result;
  }

  @Override
  public void chunk(int index, Reply reply) {
    if (reply.status() != ReplyStatus.OK) {
      result.fail(ReplyOutcome.failure(reply, -1));
      return;
    }
    try {
      result.complete(ReplyOutcome.single(task, reply), reply.pid());
    } catch (KpoolException e) {
      result.fail(e);
    }
  }

  @Override
  public void lost(int index, RuntimeException why) {
    result.fail(why);
  }
}
