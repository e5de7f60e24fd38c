package dev.kpool.supervisor.dispatch;

/** Why a running job's worker was killed from outside the slot thread. */
enum Interruption {
  NONE,
  CANCELLED,
  TERMINATED
}
