package dev.kpool.protocol;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One later stage of a pipeline: the task that takes the previous stage's result, and the pool
 * that runs it. A task record's {@link HeaderNames#THEN} header holds the stages still to come as
 * a JSON array, e.g. {@code [{"pool":"parse","task":"parse"},{"pool":"index","task":"index"}]}.
 */
public record Stage(String pool, String task) {
  private static final TypeReference<List<Stage>> LIST = new TypeReference<>() {};

  public Stage {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(task, "task");
    Topics.tasks(pool); // refuses a pool name that cannot be a topic
  }

  /** The value of a {@link HeaderNames#THEN} header. */
  public static String encode(List<Stage> stages) {
    try {
      return ProtocolJson.mapper().writeValueAsString(stages);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a {@link HeaderNames#THEN} header.
   *
   * @throws IllegalArgumentException if it is not a JSON array of stages
   */
  public static List<Stage> decode(byte[] header) {
    try {
      List<Stage> stages = ProtocolJson.mapper().readValue(header, LIST);
      if (stages == null || stages.contains(null)) {
        throw new IllegalArgumentException("not a list of stages");
      }
      return List.copyOf(stages);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "bad "
              + HeaderNames.THEN
              + " header "
              + new String(header, StandardCharsets.UTF_8)
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
