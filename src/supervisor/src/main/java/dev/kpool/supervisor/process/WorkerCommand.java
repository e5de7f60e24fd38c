package dev.kpool.supervisor.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How to start one worker process. */
public record WorkerCommand(
    List<String> argv, Optional<Path> directory, Map<String, String> environment) {
  public WorkerCommand {
    argv = List.copyOf(argv);
    environment = Map.copyOf(environment);
  }
}
