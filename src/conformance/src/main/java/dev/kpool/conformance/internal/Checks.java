package dev.kpool.conformance.internal;

import java.util.ArrayList;
import java.util.List;

/** Every check of the kit, in run order: handshake, tasks, errors, lifecycle. */
public final class Checks {
  private Checks() {}

  /** The checks; names are unique. */
  public static List<Check> all() {
    List<Check> all = new ArrayList<>();
    all.addAll(HandshakeChecks.all());
    all.addAll(TaskChecks.all());
    all.addAll(ErrorChecks.all());
    all.addAll(LifecycleChecks.all());
    return List.copyOf(all);
  }
}
