package dev.kpool.examples.pipeline;

import dev.kpool.worker.NonRetryableTaskException;
import dev.kpool.worker.Worker;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The worker of the example pipeline {@code fetch-doc → parse-doc → index-doc}: each stage runs in
 * a pool of its own, and each result travels to the next stage's pool through Kafka, not through
 * the client. Documents come from {@link #text(int)} so the example needs no network.
 */
public final class PipelineWorker {
  private PipelineWorker() {}

  /** What {@code fetch-doc} returns: a document's text. */
  public record Doc(int id, String text) {}

  /** What {@code parse-doc} returns: its words, lower case, in order. */
  public record Parsed(int id, List<String> words) {}

  /** What {@code index-doc} returns: the entry an index would store. */
  public record Indexed(int id, int terms, int distinct, String top) {}

  /** The text of document {@code id}: a few sentences drawn from a fixed vocabulary. */
  public static String text(int id) {
    String[] vocabulary = {"Kafka", "pool", "worker", "task", "queue", "result", "share", "group"};
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 5 + id % 7; i++) {
      text.append(vocabulary[(id * 31 + i * 7) % vocabulary.length])
          .append(i % 3 == 2 ? ". " : " ");
    }
    return text.toString().trim();
  }

  /** The index entry of document {@code id}, computed here without the pipeline: the expected result. */
  public static Indexed expected(int id) {
    return index(parse(new Doc(id, text(id))));
  }

  static Parsed parse(Doc doc) {
    List<String> words =
        Arrays.stream(doc.text().toLowerCase().split("[^a-z]+")).filter(w -> !w.isEmpty()).toList();
    return new Parsed(doc.id(), words);
  }

  static Indexed index(Parsed parsed) {
    Map<String, Long> counts =
        parsed.words().stream()
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    String top =
        counts.entrySet().stream()
            .max(
                Map.Entry.<String, Long>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
            .map(Map.Entry::getKey)
            .orElse("");
    return new Indexed(parsed.id(), parsed.words().size(), counts.size(), top);
  }

  /** The registered tasks. */
  public static Worker worker() {
    return Worker.builder()
        .task(
            "fetch-doc",
            Integer.class,
            id -> {
              if (id < 0) {
                throw new NonRetryableTaskException(
                    new IllegalArgumentException("no document " + id));
              }
              return new Doc(id, text(id));
            })
        .task("parse-doc", Doc.class, PipelineWorker::parse)
        .task("index-doc", Parsed.class, PipelineWorker::index)
        .build();
  }

  public static void main(String[] args) {
    worker().runAndExit();
  }
}
