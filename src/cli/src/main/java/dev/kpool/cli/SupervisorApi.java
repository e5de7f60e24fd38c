package dev.kpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kpool.protocol.ProtocolJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A supervisor's HTTP API, as JSON. Calls block for up to 30 seconds on the calling thread. */
final class SupervisorApi {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  SupervisorApi(String url) {
    this.base = URI.create(url.endsWith("/") ? url : url + "/");
  }

  /**
   * @throws CliException if the supervisor cannot be reached or answers an error status
   */
  JsonNode get(String path) {
    return call(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  /**
   * @throws CliException if the supervisor cannot be reached or answers an error status
   */
  JsonNode post(String path) {
    return call(
        HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  private JsonNode call(HttpRequest.Builder request) {
    HttpRequest built = request.timeout(TIMEOUT).header("Accept", "application/json").build();
    HttpResponse<String> response;
    try {
      response = http.send(built, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CliException("cannot reach the supervisor at " + base + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted", e);
    }
    // A proxy or a server error may answer in text or HTML: the status then says more than a parse
    // error.
    JsonNode body = json(response.body());
    String what = built.method() + " " + built.uri() + ": " + response.statusCode();
    if (response.statusCode() >= 400) {
      throw new CliException(
          what
              + " "
              + (body != null && body.hasNonNull("error")
                  ? body.get("error").asText()
                  : abbreviated(response.body())));
    }
    if (body == null) {
      throw new CliException(
          what + " with a body that is not JSON: " + abbreviated(response.body()));
    }
    return body;
  }

  /** The body as JSON; a null node if blank, {@code null} if it is not JSON. */
  private static JsonNode json(String body) {
    try {
      return body.isBlank()
          ? ProtocolJson.mapper().nullNode()
          : ProtocolJson.mapper().readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  private static String abbreviated(String text) {
    String line = text.strip().replaceAll("\\s+", " ");
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }
}
