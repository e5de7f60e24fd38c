package dev.kpool.client.internal;

import dev.kpool.client.KpoolException;
import dev.kpool.client.TaskFailedException;
import dev.kpool.client.TaskTimeoutException;
import dev.kpool.protocol.RemoteError;
import dev.kpool.protocol.Reply;
import java.util.concurrent.CancellationException;

/** Turns a failed {@link Reply} into the exception the caller sees. */
final class ReplyOutcome {
  private ReplyOutcome() {}

  static RuntimeException failure(Reply reply) {
    RemoteError error =
        reply.error() != null ? reply.error() : RemoteError.of("unknown", "no error detail");
    return switch (reply.status()) {
      case OK -> new KpoolException("not a failure: " + reply.id());
      case ERROR -> new TaskFailedException(reply.id(), error);
      case TIMEOUT -> new TaskTimeoutException(
          "task " + reply.id() + " ran past its deadline and was killed: " + error.message());
      case CANCELLED -> new CancellationException("task " + reply.id() + " was cancelled");
    };
  }
}
