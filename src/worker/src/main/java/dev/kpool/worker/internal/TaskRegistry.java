package dev.kpool.worker.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names a worker serves, in registration order: tasks (run by {@code task} frames and listed in
 * the hello answer) and initializers (run by {@code init} frames).
 */
public record TaskRegistry(Map<String, TaskHandler> tasks, Map<String, TaskHandler> initializers) {
  public TaskRegistry {
    tasks = Collections.unmodifiableMap(new LinkedHashMap<>(tasks));
    initializers = Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
  }
}
