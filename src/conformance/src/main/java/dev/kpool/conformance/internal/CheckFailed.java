package dev.kpool.conformance.internal;

/** The worker broke the rule a check tests; the message says how, for the report. */
public final class CheckFailed extends Exception {
  private static final long serialVersionUID = 1L;

  public CheckFailed(String message) {
    super(message, null, false, false);
  }
}
