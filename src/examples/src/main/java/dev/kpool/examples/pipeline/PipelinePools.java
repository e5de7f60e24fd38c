package dev.kpool.examples.pipeline;

import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.examples.local.LocalCluster;
import dev.kpool.examples.pipeline.PipelineWorker.Doc;
import dev.kpool.examples.pipeline.PipelineWorker.Indexed;
import dev.kpool.examples.pipeline.PipelineWorker.Parsed;
import java.util.List;
import java.util.Map;

/** The example pipeline's three pools, and the pipeline that runs through them. */
public final class PipelinePools {
  private PipelinePools() {}

  /** The pipeline of pools {@code <prefix>fetch}, {@code <prefix>parse}, {@code <prefix>index}. */
  public static Task<Integer, Indexed> pipeline(String prefix) {
    // --- guide: pipeline ---
    Task<Integer, Indexed> pipeline =
        Task.of("fetch-doc", Integer.class, Doc.class)
            .then(prefix + "parse", Task.of("parse-doc", Doc.class, Parsed.class))
            .then(prefix + "index", Task.of("index-doc", Parsed.class, Indexed.class));
    // --- end ---
    return pipeline;
  }

  /** Sends document {@code documentId} into {@code pipeline}, its result going to the index service. */
  public static String sendToIndex(Pool producer, Task<Integer, Indexed> pipeline, int documentId) {
    // --- guide: send ---
    String taskId = producer.send(pipeline, documentId, "kpool.pipeline.indexed");
    // --- end ---
    return taskId;
  }

  /** Configuration of one supervisor serving the three stage pools, one worker process each. */
  public static Map<String, String> supervisorProperties(String bootstrapServers, String prefix) {
    Map<String, String> props =
        LocalCluster.supervisorProperties(bootstrapServers, prefix + "fetch", 1);
    for (String stage : List.of("fetch", "parse", "index")) {
      String pool = prefix + stage;
      props.put(
          LocalCluster.poolKey(pool, "command"),
          LocalCluster.javaWorkerCommand("dev.kpool.examples.pipeline.PipelineWorker"));
      props.put(LocalCluster.poolKey(pool, "min-processes"), "1");
      props.put(LocalCluster.poolKey(pool, "max-processes"), "1");
    }
    return props;
  }
}
