package dev.kpool.client;

import java.time.Instant;

/**
 * A task that an earlier run of this client id submitted and whose outcome that run did not
 * receive: re-attach to it with {@link Pool#attach} or {@link Pool#attachMap}, or drop it with
 * {@link Pool#discard}.
 *
 * @param id the id to attach with: {@link AsyncResult#taskId()} of the original handle
 * @param task the registered task name; attaching checks it
 * @param kind whether it was an {@code apply} or a {@code map}
 * @param items the number of input items (1 for an apply)
 * @param submittedAt when the earlier run submitted it
 * @param ready whether its outcome has already arrived, so that attaching completes at once
 */
public record DetachedTask(
    String id, String task, Kind kind, int items, Instant submittedAt, boolean ready) {

  /** Which {@link Pool} call submitted it, and so which attach method takes it. */
  public enum Kind {
    /** {@code apply} or {@code applyAsync}: attach with {@link Pool#attach}. */
    APPLY,
    /**
     * {@code map}, {@code mapAsync}, {@code starmap} or {@code starmapAsync}: {@link
     * Pool#attachMap}.
     */
    MAP
  }
}
