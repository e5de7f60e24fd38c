package dev.kpool.supervisor.kafka;

/** A task record that cannot be run as it is: a header is missing or wrong, or the value does not parse. */
public class MalformedTaskException extends Exception {
  public MalformedTaskException(String message) {
    super(message);
  }
}
