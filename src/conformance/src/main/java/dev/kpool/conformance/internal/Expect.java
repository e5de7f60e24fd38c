package dev.kpool.conformance.internal;

import java.util.Objects;

/**
 * The few assertions checks make, failing with {@link CheckFailed} and a message for the report.
 */
final class Expect {
  private Expect() {}

  static void that(boolean condition, String format, Object... args) throws CheckFailed {
    if (!condition) {
      throw new CheckFailed(String.format(format, args));
    }
  }

  static void equal(Object expected, Object actual, String what) throws CheckFailed {
    if (!Objects.equals(expected, actual)) {
      throw new CheckFailed(what + ": expected " + expected + ", got " + actual);
    }
  }
}
