package dev.kpool.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.kpool.protocol.ContentType;
import dev.kpool.protocol.RemoteError;
import dev.kpool.protocol.frame.FromWorker;
import dev.kpool.protocol.frame.ToWorker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Runs init and task frames on the task thread, one at a time, and writes exactly one result for
 * each. Heartbeats for the running frame are sent from the heartbeat thread.
 */
final class TaskRunner {
  private final TaskRegistry registry;
  private final FrameWriter out;
  private final ScheduledExecutorService heartbeats;
  private final ToWorker.Hello hello;
  private final IntConsumer end;

  /** {@code end} ends the session with an exit code, after a fatal error such as out-of-memory. */
  TaskRunner(
      TaskRegistry registry,
      FrameWriter out,
      ScheduledExecutorService heartbeats,
      ToWorker.Hello hello,
      IntConsumer end) {
    this.registry = registry;
    this.out = out;
    this.heartbeats = heartbeats;
    this.hello = hello;
    this.end = end;
  }

  void init(ToWorker.Init init) {
    TaskHandler handler = registry.initializers().get(init.task());
    if (handler == null) {
      unknown(init.id(), "initializer", init.task(), registry.initializers().keySet());
      return;
    }
    JsonNode args = init.args() == null ? NullNode.getInstance() : init.args();
    run(handler, context(init.id(), 1, 0), List.of(args), ContentType.JSON.mime(), false);
  }

  void task(ToWorker.Task task) {
    TaskHandler handler = registry.tasks().get(task.task());
    if (handler == null) {
      unknown(task.id(), "task", task.task(), registry.tasks().keySet());
      return;
    }
    List<JsonNode> items = task.items() == null ? List.of() : task.items();
    RunningTask context = context(task.id(), task.attempt(), task.deadline());
    run(handler, context, items, task.contentType(), true);
  }

  /** Runs the items in order, stopping at the first failure; an init keeps no results. */
  private void run(
      TaskHandler handler,
      RunningTask context,
      List<JsonNode> items,
      String contentType,
      boolean keepResults) {
    String id = context.taskId();
    List<JsonNode> results = new ArrayList<>(items.size());
    RemoteError error = null;
    Throwable fatal = null;
    out.begin(id);
    ScheduledFuture<?> beat = startHeartbeat(id);
    try {
      for (int i = 0; i < items.size(); i++) {
        try {
          JsonNode result = handler.run(items.get(i), contentType, context);
          if (keepResults) {
            results.add(result);
          }
        } catch (Throwable failure) {
          error = RemoteErrors.from(failure).atIndex(i);
          StderrLog.warn(
              "task "
                  + id
                  + " ("
                  + handler.name()
                  + ") item "
                  + i
                  + " failed: "
                  + error.type()
                  + ": "
                  + error.message());
          if (failure instanceof VirtualMachineError) {
            fatal = failure;
          }
          break;
        }
      }
    } finally {
      if (beat != null) {
        beat.cancel(false);
      }
    }
    out.result(new FromWorker.Result(id, results, error));
    Thread.interrupted(); // a task's interrupt must not leak into the next one
    if (fatal != null) {
      StderrLog.error("exiting after " + fatal + "; the supervisor replaces this process");
      end.accept(1);
    }
  }

  private RunningTask context(String id, int attempt, long deadline) {
    return new RunningTask(id, attempt, deadline, hello.pool(), hello.worker(), out);
  }

  private void unknown(String id, String kind, String name, Collection<String> registered) {
    StderrLog.warn(id + ": no " + kind + " named '" + name + "' is registered");
    out.result(new FromWorker.Result(id, List.of(), RemoteErrors.unknown(kind, name, registered)));
  }

  private ScheduledFuture<?> startHeartbeat(String id) {
    if (hello.heartbeatMillis() <= 0) {
      return null;
    }
    // Half the interval, so scheduling jitter cannot stretch a gap past the promised interval.
    long period = Math.max(1, hello.heartbeatMillis() / 2);
    return heartbeats.scheduleAtFixedRate(
        () -> out.heartbeat(id), period, period, TimeUnit.MILLISECONDS);
  }
}
