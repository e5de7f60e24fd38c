package dev.kpool.protocol;

import java.util.Locale;

/** The outcome a reply record carries. */
public enum ReplyStatus {
  /** The task returned; the reply holds its result(s). */
  OK,
  /** The task raised, or could not be run; the reply holds a {@link RemoteError}. */
  ERROR,
  /** The task passed its deadline and its worker process was killed. */
  TIMEOUT,
  /** The task was cancelled before it finished. */
  CANCELLED;

  /** The lower-case header value, e.g. {@code ok}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a {@link HeaderNames#STATUS} header value. */
  public static ReplyStatus fromWireName(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
