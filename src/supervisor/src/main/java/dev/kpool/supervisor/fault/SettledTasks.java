package dev.kpool.supervisor.fault;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tasks this supervisor recently replied to, by task id and task name, so that a redelivery of
 * such a record is acknowledged instead of run again. A pipeline stage handed on to the next stage
 * is not remembered: its stages share the task id, and two stages may run the same task, so a
 * remembered stage would swallow the later one and the pipeline would never reply. A broker that
 * restarts forgets which records were acquired and which acknowledgements it had not yet persisted,
 * and delivers them again; without this set every task a supervisor finished across the outage
 * would run twice. Bounded: the oldest entries go first, as a redelivery comes within seconds of
 * the broker's return. Thread-safe.
 */
final class SettledTasks {
  private final Map<String, Boolean> recent;

  /** @param capacity how many tasks to remember */
  SettledTasks(int capacity) {
    this.recent =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  synchronized void add(String taskId, String task) {
    recent.put(key(taskId, task), Boolean.TRUE);
  }

  synchronized boolean contains(String taskId, String task) {
    return recent.containsKey(key(taskId, task));
  }

  /**
   * How a task is known across its deliveries: by task id and task name, since a pipeline's
   * stages share a task id.
   */
  static String key(String taskId, String task) {
    return taskId + '\u0000' + task;
  }
}
