package dev.kpool.devbroker;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/** Formats KRaft storage the way {@code kafka-storage.sh format} does, in-process. */
final class KraftStorage {

  static final String CONTROLLER_LISTENER = "CONTROLLER";

  private KraftStorage() {}

  /**
   * Writes meta.properties and the bootstrap checkpoint into a fresh metadata directory; leaves a
   * formatted one alone, so a restart keeps its cluster id and data.
   */
  static void formatIfNeeded(KafkaConfig config) throws Exception {
    String dir = config.metadataLogDir();
    // The formatter's own "ignore formatted" mode still insists on the cluster id it is given.
    if (Files.exists(Path.of(dir, "meta.properties"))) {
      return;
    }
    new Formatter()
        // The formatter reports progress on a stream; the broker's own log says enough.
        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
        .setClusterId(Uuid.randomUuid().toString())
        .setNodeId(config.nodeId())
        .setControllerListenerName(CONTROLLER_LISTENER)
        .setMetadataLogDirectory(dir)
        .setDirectories(List.of(dir))
        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
        .run();
  }
}
