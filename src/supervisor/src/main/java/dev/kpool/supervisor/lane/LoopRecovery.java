package dev.kpool.supervisor.lane;

import dev.kpool.protocol.LoopBackoff;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

/**
 * How a supervisor's long-lived Kafka loop (control listener, retry relay, keyed lane) outlives an
 * error from one pass: it logs it and pauses, doubling the pause from 100 ms to 5 s while passes
 * keep failing, then goes on. A supervisor whose loop died would serve nothing and say so nowhere,
 * so even an error Kafka does not call retriable only costs a pass; it is logged at ERROR, with its
 * stack, as something an operator must look at (a denied authorization, say).
 *
 * <p>Not thread-safe: one per loop, used on the loop's thread.
 */
public final class LoopRecovery {
  private static final Logger LOG = Logger.getLogger(LoopRecovery.class);

  private final String what;
  private final LoopBackoff backoff;

  /** @param what names the loop in the log, e.g. {@code pool p: retry relay} */
  public LoopRecovery(String what) {
    this.what = what;
    this.backoff = new LoopBackoff(Duration.ofMillis(100), Duration.ofSeconds(5));
  }

  /** A pass worked: the next failure pauses briefly again. */
  public void succeeded() {
    backoff.succeeded();
  }

  /**
   * Logs {@code error} and sleeps the pause, cut short once {@code running} turns false.
   *
   * @throws InterruptedException if the loop's thread is interrupted meanwhile
   */
  public void failed(RuntimeException error, BooleanSupplier running) throws InterruptedException {
    Duration pause = backoff.failed();
    if (error instanceof RetriableException) {
      LOG.warnf(
          "%s failed %d time(s) in a row, going on in %d ms: %s",
          what, backoff.failures(), pause.toMillis(), error.toString());
    } else {
      LOG.errorf(
          error,
          "%s failed with a non-retriable error (%d time(s) in a row), going on in %d ms",
          what,
          backoff.failures(),
          pause.toMillis());
    }
    LoopBackoff.sleep(pause, running);
  }
}
