package dev.kpool.conformance.internal;

import java.util.List;

/** Names of the conformance task set a worker under test registers (docs/protocol.md). */
public final class Tasks {
  /** Returns its argument. */
  static final String ECHO = "echo";

  /** Raises an ordinary exception whose message is its argument if that is a string; else echo. */
  static final String FAIL = "fail";

  /** Raises the SDK's non-retryable exception whose message is its (string) argument. */
  static final String FAIL_NON_RETRYABLE = "fail-nonretryable";

  /** Sleeps for its argument in milliseconds, then returns it. */
  static final String SLEEP = "sleep";

  /** Prints its (string) argument with the language's print facility, then returns it. */
  static final String PRINT = "print";

  /** A bytes task that returns its bytes. */
  static final String ECHO_BYTES = "echo-bytes";

  /** Submits a follow-up {@code echo} of its argument (own pool, no key), then returns it. */
  static final String SUBMIT = "submit";

  /** Returns a string of as many {@code x} as its argument says. */
  static final String BIG = "big";

  /** Returns the argument the initializer stored, or null. */
  static final String INIT_ARG = "init-arg";

  /** The tasks, in the order the docs list them. */
  public static final List<String> ALL =
      List.of(ECHO, FAIL, FAIL_NON_RETRYABLE, SLEEP, PRINT, ECHO_BYTES, SUBMIT, BIG, INIT_ARG);

  /**
   * The initializer: raises an ordinary exception whose message is its argument if that is a
   * string; otherwise stores the argument for {@code init-arg}.
   */
  public static final String INITIALIZER = "init";

  private Tasks() {}
}
