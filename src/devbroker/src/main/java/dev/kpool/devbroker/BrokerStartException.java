package dev.kpool.devbroker;

/** A broker did not start, or did not answer clients within its start timeout. */
public class BrokerStartException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the broker and the underlying cause. */
  public BrokerStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
