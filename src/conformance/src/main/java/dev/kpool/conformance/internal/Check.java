package dev.kpool.conformance.internal;

/**
 * One rule of the protocol and how to test it.
 *
 * @param name short and stable, printed as {@code PASS name}; used to select checks
 * @param rule the rule in one sentence, as docs/protocol.md states it
 * @param body starts the worker processes it needs from {@code workers} (the kit kills them all
 *     when the body returns) and throws {@link CheckFailed} if the rule is broken
 */
public record Check(String name, String rule, Body body) {

  /** The test itself. Every wait in it is bounded. */
  @FunctionalInterface
  public interface Body {
    void run(Workers workers) throws Exception;
  }
}
