package dev.kpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kpool.protocol.ProtocolJson;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options every supervisor-facing command shares: where the supervisor is, and JSON output. */
final class SupervisorOptions {
  @Option(
      names = "--url",
      defaultValue = "${env:KPOOL_URL:-http://127.0.0.1:8080}",
      description = "the supervisor's HTTP address (env KPOOL_URL; default ${DEFAULT-VALUE})")
  String url;

  @Option(names = "--json", description = "print the supervisor's JSON instead of a table")
  boolean json;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  SupervisorApi api() {
    return new SupervisorApi(url);
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Prints {@code node} as indented JSON. */
  void printJson(JsonNode node) {
    try {
      out()
          .println(
              ProtocolJson.mapper()
                  .writer(SerializationFeature.INDENT_OUTPUT)
                  .writeValueAsString(node));
      out().flush();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new CliException("cannot print JSON: " + e.getMessage(), e);
    }
  }
}
