package dev.kpool.supervisor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml cannot run here (no Docker engine), so this checks what can go stale in it:
 * every environment variable names a real configuration key, and ports and addresses agree across
 * services. The Kubernetes manifests have {@link KubernetesManifestsTest}.
 */
class DeploymentFilesTest {
  private static final Path ROOT = Path.of("../..");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Quarkus keys the deployment files may set. */
  private static final Set<String> QUARKUS_KEYS = Set.of("QUARKUS_HTTP_HOST", "QUARKUS_HTTP_PORT");

  @Test
  void composeEnvironmentNamesAreRealConfigurationKeys() throws IOException {
    Map<String, String> env = composeSupervisorEnv();
    assertFalse(env.isEmpty());
    env.keySet().forEach(DeploymentFilesTest::assertKnownKey);
  }

  @Test
  void composeSupervisorReachesKafkaOnAnAdvertisedListenerAndPublishesItsHttpPort()
      throws IOException {
    JsonNode services = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile()).get("services");
    Map<String, String> env = composeSupervisorEnv();
    String advertised = services.at("/kafka/environment/KAFKA_ADVERTISED_LISTENERS").asText();
    assertTrue(
        advertised.contains("://" + env.get("KPOOL_BOOTSTRAP_SERVERS")),
        "KPOOL_BOOTSTRAP_SERVERS "
            + env.get("KPOOL_BOOTSTRAP_SERVERS")
            + " is advertised by kafka: "
            + advertised);
    String published = services.at("/supervisor/ports/0").asText();
    assertEquals(env.get("QUARKUS_HTTP_PORT"), published.substring(published.lastIndexOf(':') + 1));
  }

  @Test
  void workerClassPathInComposeIsWhatTheImageCopies() throws IOException {
    String dockerfile = Files.readString(Path.of("src/main/docker/Dockerfile"));
    String command = composeSupervisorEnv().get("KPOOL_POOLS__DEFAULT__COMMAND");
    for (String dir : List.of("/opt/kpool/worker/classes/", "/opt/kpool/worker/lib/")) {
      assertTrue(command.contains(dir.substring(0, dir.length() - 1)), command);
      assertTrue(dockerfile.contains(dir), "Dockerfile copies " + dir);
    }
  }

  @Test
  void composeHealthcheckAsksTheSupervisorsReadinessPathWithAToolTheImageInstalls()
      throws Exception {
    JsonNode services = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile()).get("services");
    List<String> test = new ArrayList<>();
    services.at("/supervisor/healthcheck/test").forEach(part -> test.add(part.asText()));
    assertEquals("CMD", test.get(0));
    String ready =
        dev.kpool.supervisor.api.HealthResource.class
                .getAnnotation(jakarta.ws.rs.Path.class)
                .value()
            + dev.kpool.supervisor.api.HealthResource.class
                .getMethod("ready")
                .getAnnotation(jakarta.ws.rs.Path.class)
                .value();
    String url = test.get(test.size() - 1);
    assertEquals(
        "http://127.0.0.1:" + composeSupervisorEnv().get("QUARKUS_HTTP_PORT") + ready, url);
    String dockerfile = Files.readString(Path.of("src/main/docker/Dockerfile"));
    assertTrue(
        Pattern.compile("apt-get install[^\\n]*\\b" + test.get(1) + "\\b")
            .matcher(dockerfile)
            .find(),
        "the runtime image installs " + test.get(1));
  }

  @Test
  void composeDemoBuildsTheSupervisorImageAndStartsOnceTheSupervisorIsHealthy() throws IOException {
    JsonNode services = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile()).get("services");
    assertEquals(services.at("/supervisor/build"), services.at("/demo/build"));
    assertEquals(services.at("/supervisor/image"), services.at("/demo/image"));
    assertEquals("service_healthy", services.at("/demo/depends_on/supervisor/condition").asText());
  }

  @Test
  void composeKafkaKeepsKafkasShareGroupDefaults() throws IOException {
    JsonNode kafka =
        YAML.readTree(ROOT.resolve("docker-compose.yml").toFile())
            .at("/services/kafka/environment");
    kafka
        .fieldNames()
        .forEachRemaining(
            name ->
                assertFalse(
                    name.startsWith("KAFKA_GROUP_SHARE_"),
                    name + ": kpool runs on a stock broker"));
  }

  @Test
  void theImageBuildCachesMavenAndCopiesOnlyWhatItBuilds() throws IOException {
    String dockerfile = Files.readString(Path.of("src/main/docker/Dockerfile"));
    assertTrue(
        dockerfile.startsWith("# syntax=docker/dockerfile:1"),
        "BuildKit syntax for the cache mount");
    assertTrue(dockerfile.contains("--mount=type=cache,target=/root/.m2"));
    var built = Pattern.compile("-pl (\\S+) -am").matcher(dockerfile);
    assertTrue(built.find(), dockerfile);
    List<String> modules = List.of(built.group(1).split(","));
    var copied =
        Pattern.compile("COPY --from=build /src/(src/[a-z-]+)/target/").matcher(dockerfile);
    int copies = 0;
    while (copied.find()) {
      copies++;
      assertTrue(modules.contains(copied.group(1)), copied.group(1) + " is built by " + modules);
    }
    assertTrue(copies >= 5);
    List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore"));
    assertTrue(
        ignored.contains(".git") && ignored.contains("**/target"),
        "the build context leaves out " + ignored);
  }

  private static Map<String, String> composeSupervisorEnv() throws IOException {
    JsonNode env =
        YAML.readTree(ROOT.resolve("docker-compose.yml").toFile())
            .at("/services/supervisor/environment");
    Map<String, String> result = new LinkedHashMap<>();
    env.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().asText()));
    return result;
  }

  static void assertKnownKey(String envName) {
    if (QUARKUS_KEYS.contains(envName)) {
      return;
    }
    List<String> known = envPatterns("KPOOL", SupervisorConfig.class);
    assertTrue(
        known.stream().anyMatch(p -> Pattern.matches(p, envName)),
        envName + " is not a kpool configuration key; known: " + known);
  }

  /**
   * Env-variable forms of every key of a config mapping, as regular expressions (the names are
   * upper-case letters and underscores only); map keys are quoted with double underscores.
   */
  private static List<String> envPatterns(String prefix, Class<?> mapping) {
    List<String> patterns = new ArrayList<>();
    for (Method method : mapping.getDeclaredMethods()) {
      String name =
          prefix + "_" + method.getName().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase();
      if (method.getReturnType() == Map.class) {
        var valueType =
            ((ParameterizedType) method.getGenericReturnType()).getActualTypeArguments()[1];
        // the closing quote may be left off where the key has no dot
        // (KPOOL_POOLS__X__ENVIRONMENT__PATH)
        String keyed = name + "__[A-Za-z0-9_]+(__)?";
        if (valueType == String.class) {
          patterns.add(keyed);
        } else {
          for (String nested : envPatterns("", (Class<?>) valueType)) {
            patterns.add(name + "__[A-Z0-9_]+__" + nested.substring(1));
          }
        }
      } else {
        patterns.add(name);
      }
    }
    return patterns;
  }
}
