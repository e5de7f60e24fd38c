package dev.kpool.client;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The W3C {@code traceparent} of the caller's current span, for the tasks it submits. While a scope
 * is open on a thread, every task that thread submits (apply, map, imap: one record per item or
 * chunk) carries the value as its {@code traceparent} header; the supervisor copies it onto the
 * task's reply, its follow-up tasks and its pipeline stages. Tasks a {@link Pool.Builder#bundle}
 * timer sends later carry none. A tracing library bridges to this by opening a scope around a submit.
 *
 * <pre>{@code
 * try (TraceContext.Scope scope = TraceContext.with(span.traceparent())) {
 *   pool.applyAsync(task, arg);
 * }
 * }</pre>
 *
 * <p>Thread-confined: a scope belongs to the thread that opened it and must be closed there.
 */
public final class TraceContext {
  private static final Pattern TRACEPARENT =
      Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  private TraceContext() {}

  /** Closes a scope: the thread's previous traceparent, if any, applies again. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Makes {@code traceparent} this thread's until the returned scope is closed.
   *
   * @throws IllegalArgumentException if it is not a W3C traceparent ({@code 00-<trace>-<span>-<flags>})
   */
  public static Scope with(String traceparent) {
    if (traceparent == null || !TRACEPARENT.matcher(traceparent).matches()) {
      throw new IllegalArgumentException("not a W3C traceparent: " + traceparent);
    }
    String previous = CURRENT.get();
    CURRENT.set(traceparent);
    return () -> {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    };
  }

  /** This thread's traceparent, if a scope is open. */
  public static Optional<String> current() {
    return Optional.ofNullable(CURRENT.get());
  }
}
