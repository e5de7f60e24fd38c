package dev.kpool.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kpool.protocol.ProtocolJson;
import dev.kpool.protocol.frame.FromWorker;
import dev.kpool.worker.FollowUp;
import dev.kpool.worker.TaskContext;
import java.time.Instant;
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
  public void submit(FollowUp followUp) {
    JsonNode args = ProtocolJson.mapper().valueToTree(followUp.args());
    out.submit(
        new FromWorker.Submit(
            taskId, followUp.pool(), followUp.task(), args, followUp.key(), followUp.id()));
  }
}
