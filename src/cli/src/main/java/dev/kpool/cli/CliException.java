package dev.kpool.cli;

/** A failure the CLI reports on one line and exits 1 for, without a stack trace. */
final class CliException extends RuntimeException {
  CliException(String message) {
    super(message);
  }

  CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
