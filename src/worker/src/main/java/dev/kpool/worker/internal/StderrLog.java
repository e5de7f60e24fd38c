package dev.kpool.worker.internal;

/**
 * The SDK's own log: one line per event on stderr, which the supervisor reads line by line as the
 * worker's log. Plain lines rather than a logging framework keep the SDK dependency-free and keep
 * each event on one line (java.util.logging's default format spans two).
 */
final class StderrLog {
  private StderrLog() {}

  static void info(String message) {
    line("INFO", message);
  }

  static void warn(String message) {
    line("WARN", message);
  }

  static void error(String message) {
    line("ERROR", message);
  }

  private static void line(String level, String message) {
    System.err.println("[kpool-worker] " + level + " " + message);
  }
}
