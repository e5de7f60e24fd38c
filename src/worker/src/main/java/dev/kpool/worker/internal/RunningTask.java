package dev.kpool.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.frame.FromWorker;
import dev.kpool.worker.TaskContext;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The {@link TaskContext} of one init or task frame. */
record RunningTask(
    String taskId,
    int attempt,
    long deadlineMillis,
    String pool,
    String workerName,
    FrameWriter out)
    implements TaskContext {

  @Override
  public Optional<Instant> deadline() {
    return deadlineMillis > 0
        ? Optional.of(Instant.ofEpochMilli(deadlineMillis))
        : Optional.empty();
  }

  @Override
  public void submit(String pool, String task, Object args, String key) {
    Objects.requireNonNull(task, "task");
    JsonNode tree = ProtocolJson.mapper().valueToTree(args);
    out.submit(new FromWorker.Submit(taskId, pool, task, tree, key));
  }
}
