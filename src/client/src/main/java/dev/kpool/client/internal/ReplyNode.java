package dev.kpool.client.internal;

import dev.kpool.client.Task;
import dev.kpool.client.TreeNode;
import dev.kpool.protocol.Reply;
import dev.kpool.protocol.ReplyStatus;
import java.util.List;
import java.util.Optional;

/** A {@link TreeNode} read from one reply. */
record ReplyNode(Reply reply) implements TreeNode {

  @Override
  public String id() {
    return reply.id();
  }

  @Override
  public String parentId() {
    return reply.tree() == null ? null : reply.tree().parent();
  }

  @Override
  public String task() {
    return reply.task();
  }

  @Override
  public boolean succeeded() {
    return reply.status() == ReplyStatus.OK;
  }

  @Override
  public <R> R result(Task<?, R> as) {
    if (!succeeded()) {
      throw ReplyOutcome.failure(reply, -1);
    }
    return ReplyOutcome.single(as, reply);
  }

  @Override
  public Optional<RuntimeException> failure() {
    return succeeded() ? Optional.empty() : Optional.of(ReplyOutcome.failure(reply, -1));
  }

  @Override
  public List<String> childIds() {
    return reply.tree() == null ? List.of() : reply.tree().children();
  }

  @Override
  public int attempt() {
    return reply.attempt();
  }

  @Override
  public long workerPid() {
    return reply.pid();
  }
}
