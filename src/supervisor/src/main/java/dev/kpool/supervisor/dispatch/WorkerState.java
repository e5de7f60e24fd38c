package dev.kpool.supervisor.dispatch;

/** Where one worker slot of a pool is in its life. */
public enum WorkerState {
  /** Its process is starting: hello and initializer. */
  STARTING,
  /** It waits for a task. */
  IDLE,
  /** It runs a task. */
  BUSY,
  /** Its last start failed, or the pool is past its restart intensity: it waits before trying again. */
  BACKING_OFF,
  /** It finishes its current task and leaves: scale-down or shutdown. */
  RETIRING,
  /** It has left. */
  STOPPED
}
