package dev.kpool.supervisor.dispatch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Ids of tasks that clients cancelled, remembered so that a cancelled task taken later (by this
 * supervisor) is never run. Bounded: the oldest ids are forgotten first. Thread-safe.
 */
final class CancelledTasks {
  private static final int MAX = 100_000;

  private final Set<String> ids =
      Collections.newSetFromMap(
          Collections.synchronizedMap(
              new LinkedHashMap<>(1024, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > MAX;
                }
              }));

  void add(String id) {
    ids.add(id);
  }

  boolean contains(String id) {
    return ids.contains(id);
  }
}
