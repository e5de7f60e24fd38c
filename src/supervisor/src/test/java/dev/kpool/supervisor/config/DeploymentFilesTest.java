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
  void composeSupervisorReachesKafkaOnAnAdvertisedListenerAndPublishesItsHttpPort() throws IOException {
    JsonNode services = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile()).get("services");
    Map<String, String> env = composeSupervisorEnv();
    String advertised = services.at("/kafka/environment/KAFKA_ADVERTISED_LISTENERS").asText();
    assertTrue(advertised.contains("://" + env.get("KPOOL_BOOTSTRAP_SERVERS")),
        "KPOOL_BOOTSTRAP_SERVERS " + env.get("KPOOL_BOOTSTRAP_SERVERS") + " is advertised by kafka: " + advertised);
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

  private static Map<String, String> composeSupervisorEnv() throws IOException {
    JsonNode env = YAML.readTree(ROOT.resolve("docker-compose.yml").toFile()).at("/services/supervisor/environment");
    Map<String, String> result = new LinkedHashMap<>();
    env.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().asText()));
    return result;
  }

  static void assertKnownKey(String envName) {
    if (QUARKUS_KEYS.contains(envName)) {
      return;
    }
    List<String> known = envPatterns("KPOOL", SupervisorConfig.class);
    assertTrue(known.stream().anyMatch(p -> Pattern.matches(p, envName)),
        envName + " is not a kpool configuration key; known: " + known);
  }

  /**
   * Env-variable forms of every key of a config mapping, as regular expressions (the names are
   * upper-case letters and underscores only); map keys are quoted with double underscores.
   */
  private static List<String> envPatterns(String prefix, Class<?> mapping) {
    List<String> patterns = new ArrayList<>();
    for (Method method : mapping.getDeclaredMethods()) {
      String name = prefix + "_" + method.getName().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase();
      if (method.getReturnType() == Map.class) {
        var valueType = ((ParameterizedType) method.getGenericReturnType()).getActualTypeArguments()[1];
        // the closing quote may be left off where the key has no dot (KPOOL_POOLS__X__ENVIRONMENT__PATH)
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
