package dev.kpool.supervisor;

import dev.kpool.protocol.ControlMessage;
import dev.kpool.supervisor.config.PoolConfig;
import dev.kpool.supervisor.dispatch.ProcessPool;
import dev.kpool.supervisor.kafka.DeadLetters;
import dev.kpool.supervisor.kafka.FollowUps;
import dev.kpool.supervisor.kafka.Lane;
import dev.kpool.supervisor.kafka.TaskSettler;
import dev.kpool.supervisor.keyed.InLaneRetry;
import dev.kpool.supervisor.keyed.KeyedLane;
import dev.kpool.supervisor.kafka.PoolTopics;
import dev.kpool.supervisor.kafka.ReplyWriter;
import dev.kpool.supervisor.kafka.RetryRelay;
import dev.kpool.supervisor.kafka.RetryTopicRoute;
import dev.kpool.supervisor.kafka.ShareLane;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * One pool served by this supervisor: its worker processes, the lanes feeding them, and (for a
 * share-group pool) the relay that moves due retries back to the task topic.
 */
public final class PoolRunner {
  private static final Logger LOG = Logger.getLogger(PoolRunner.class);
  /**
   * Share lanes per pool unless configured: with two, both were often waiting at once (one for the
   * tail of its batch, one for its next poll) and the workers ran dry between batches.
   */
  private static final int DEFAULT_LANES = 4;

  private final String name;
  private final PoolConfig config;
  private final ProcessPool processes;
  private final List<Lane> lanes = new ArrayList<>();
  private final DeadLetters deadLetters;

  PoolRunner(String name, PoolConfig config, Map<String, Object> clientProperties, ReplyWriter writer) {
    this.name = name;
    this.config = config;
    FollowUps followUps = new FollowUps(writer);
    this.processes = new ProcessPool(name, config, followUps::submit);
    // Records held by a lane wait for a worker, so their lock must outlast a task plus the queue ahead of it.
    Duration lock = config.taskTimeout().multipliedBy(2).plusSeconds(30);
    PoolTopics.ensure(clientProperties, name, config.partitions(), lock);
    this.deadLetters = new DeadLetters(name, clientProperties, writer);
    if (config.keyed()) {
      // In-lane retries keep a key's order, which a trip through the retry topic would not.
      TaskSettler settler = new TaskSettler(name, config, processes, writer, followUps, new InLaneRetry());
      lanes.add(new KeyedLane(name, config, clientProperties, settler, processes));
    } else {
      TaskSettler settler = new TaskSettler(name, config, processes, writer, followUps,
          new RetryTopicRoute(name, writer, System::currentTimeMillis));
      lanes.add(new RetryRelay(name, clientProperties, writer, System::currentTimeMillis));
      for (int i = 1; i <= config.consumers().orElse(DEFAULT_LANES); i++) {
        lanes.add(new ShareLane(name, i, config, clientProperties, settler, processes::queuedWorkBelow));
      }
    }
  }

  void start() {
    processes.start();
    lanes.forEach(Lane::start);
    LOG.infof("pool %s: serving with %d-%d worker processes (%s), %s", name, config.minProcesses(),
        config.maxProcesses(), String.join(" ", config.command()), config.keyed()
            ? "keyed: at most " + config.keyConcurrency().orElse(Integer.MAX_VALUE) + " in flight and "
                + config.keyRate().orElse(Double.POSITIVE_INFINITY) + " starts/s per key"
            : (lanes.size() - 1) + " share consumers and a retry relay");
  }

  /**
   * Stops taking tasks, lets running tasks finish within the drain timeout, releases what was not
   * started back to the share group, and stops the workers.
   */
  void drain() {
    lanes.forEach(Lane::stop);
    processes.shutdown(config.drainTimeout());
    for (Lane lane : lanes) {
      try {
        lane.await(Duration.ofSeconds(15));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Acts on a control message for this pool; called on the control listener thread. */
  void control(ControlMessage message) {
    if (message.kind() == ControlMessage.Kind.CANCEL) {
      message.taskIds().forEach(processes::cancel);
    }
  }

  /** Stops at once: kills the workers; what they ran goes back to the share group. */
  void terminate() {
    processes.terminate();
  }

  public String name() {
    return name;
  }

  public ProcessPool processes() {
    return processes;
  }

  /** The pool's dead-letter topic, to list and replay. */
  public DeadLetters deadLetters() {
    return deadLetters;
  }
}
