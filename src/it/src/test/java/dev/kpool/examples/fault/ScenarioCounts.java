package dev.kpool.examples.fault;

/**
 * The outcome of one fault scenario, in the suite's one-line format.
 *
 * @param submitted tasks submitted
 * @param replied distinct tasks with a reply record on the client's reply topic
 * @param callbacks callback invocations at the client (success and error callbacks together)
 * @param deadLettered distinct tasks with a record on the pool's dead-letter topic
 * @param executedTwice tasks the worker ledger shows running to completion more than once
 * @param lost tasks with neither a reply nor a dead letter
 * @param callbackFaults tasks whose callback ran other than exactly once (after a client crash:
 *     not at all, or more than once in one run)
 * @param calledAgainAfterCrash tasks whose callback ran before a client crash and again in the
 *     next run, or -1 if the client did not crash
 */
public record ScenarioCounts(
    String scenario,
    int submitted,
    int replied,
    int callbacks,
    int deadLettered,
    int executedTwice,
    int lost,
    int callbackFaults,
    int calledAgainAfterCrash) {

  /**
   * {@code scenario=NAME submitted=N replied=N callbacks=N dead_lettered=N executed_twice=N lost=N},
   * and {@code called_again_after_crash=N} after a client crash.
   */
  public String line() {
    return "scenario="
        + scenario
        + " submitted="
        + submitted
        + " replied="
        + replied
        + " callbacks="
        + callbacks
        + " dead_lettered="
        + deadLettered
        + " executed_twice="
        + executedTwice
        + " lost="
        + lost
        + (calledAgainAfterCrash < 0 ? "" : " called_again_after_crash=" + calledAgainAfterCrash);
  }
}
