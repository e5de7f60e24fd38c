package dev.kpool.cli;

import picocli.CommandLine.Option;

/** Where Kafka is, for the commands that talk to it as a client would. */
final class KafkaOptions {
  @Option(
      names = "--bootstrap-servers",
      defaultValue = "${env:KPOOL_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
      description = "Kafka (env KPOOL_BOOTSTRAP_SERVERS; default ${DEFAULT-VALUE})")
  String bootstrapServers;
}
