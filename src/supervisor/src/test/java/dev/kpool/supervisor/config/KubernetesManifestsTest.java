package dev.kpool.supervisor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.kpool.supervisor.api.BacklogResource;
import dev.kpool.supervisor.api.HealthResource;
import dev.kpool.supervisor.backlog.Backlog;
import io.quarkus.runtime.configuration.DurationConverter;
import jakarta.ws.rs.Path;
import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kustomize base and KEDA overlay under deploy/kubernetes, rendered with {@code kubectl
 * kustomize} where kubectl is installed (otherwise their files parsed as they are), checked
 * against the supervisor they deploy: names, ports, probe paths, the backlog URL and every
 * {@code KPOOL_*} variable.
 */
class KubernetesManifestsTest {
  private static final java.nio.file.Path DIR = java.nio.file.Path.of("../../deploy/kubernetes");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static Map<String, JsonNode> byKind;

  @BeforeAll
  static void render() throws Exception {
    byKind = new LinkedHashMap<>();
    for (JsonNode doc : documents()) {
      byKind.put(doc.get("kind").asText(), doc);
    }
  }

  /** Rendered by kubectl when present; else the base's resources and the overlay's own files. */
  private static List<JsonNode> documents() throws Exception {
    String text = kubectlKustomize();
    if (text == null) {
      StringBuilder files = new StringBuilder();
      for (String file :
          List.of(
              "base/configmap.yaml",
              "base/deployment.yaml",
              "base/service.yaml",
              "base/pdb.yaml",
              "overlays/keda/scaledobject.yaml")) {
        files.append(java.nio.file.Files.readString(DIR.resolve(file))).append("\n---\n");
      }
      text = files.toString();
    }
    List<JsonNode> docs = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(text)) {
      for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
        JsonNode doc = it.next();
        if (doc != null && doc.has("kind")) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  private static String kubectlKustomize() throws Exception {
    boolean installed =
        Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .anyMatch(dir -> new File(dir, "kubectl").canExecute());
    if (!installed) {
      return null;
    }
    Process kubectl =
        new ProcessBuilder("kubectl", "kustomize", DIR.resolve("overlays/keda").toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(kubectl.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize finished");
    assertEquals(0, kubectl.exitValue(), "kubectl kustomize renders the KEDA overlay");
    return out;
  }

  private static JsonNode container() {
    return byKind.get("Deployment").at("/spec/template/spec/containers/0");
  }

  private static Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    byKind
        .get("ConfigMap")
        .get("data")
        .fields()
        .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    container().get("env").forEach(e -> env.put(e.get("name").asText(), e.get("value").asText()));
    return env;
  }

  @Test
  void everyKpoolVariableOfTheDeploymentAndItsConfigMapIsARealConfigurationKey() {
    Map<String, String> env = environment();
    assertTrue(
        env.keySet().stream().filter(name -> name.startsWith("KPOOL_POOLS__")).count() >= 3,
        env.toString());
    env.keySet().forEach(DeploymentFilesTest::assertKnownKey);
    assertEquals(
        byKind.get("ConfigMap").at("/metadata/name").asText(),
        container().at("/envFrom/0/configMapRef/name").asText());
  }

  @Test
  void probesAskTheSupervisorsHealthPathsOnItsHttpPort() throws Exception {
    String health = HealthResource.class.getAnnotation(Path.class).value();
    String live = health + HealthResource.class.getMethod("live").getAnnotation(Path.class).value();
    String ready =
        health + HealthResource.class.getMethod("ready").getAnnotation(Path.class).value();
    JsonNode c = container();
    assertEquals(ready, c.at("/startupProbe/httpGet/path").asText());
    assertEquals(ready, c.at("/readinessProbe/httpGet/path").asText());
    assertEquals(live, c.at("/livenessProbe/httpGet/path").asText());
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      assertEquals("http", c.at("/" + probe + "/httpGet/port").asText());
    }
    assertEquals("http", c.at("/ports/0/name").asText());
    assertEquals(environment().get("QUARKUS_HTTP_PORT"), c.at("/ports/0/containerPort").asText());
    assertEquals(
        "0.0.0.0", environment().get("QUARKUS_HTTP_HOST"), "reachable from outside the pod");
  }

  @Test
  void theServiceAndTheBudgetSelectTheSupervisorPods() {
    JsonNode labels = byKind.get("Deployment").at("/spec/template/metadata/labels");
    JsonNode selector = byKind.get("Deployment").at("/spec/selector/matchLabels");
    if (!labels.isMissingNode()) { // labels and selectors come from kustomize: only when rendered
      assertEquals(labels, selector);
      assertEquals(labels, byKind.get("Service").at("/spec/selector"));
    }
    assertTrue(
        byKind.get("PodDisruptionBudget").at("/spec/selector/matchLabels").size() > 0,
        "an empty PDB selector would match every pod of the namespace");
    assertEquals("http", byKind.get("Service").at("/spec/ports/0/targetPort").asText());
  }

  @Test
  void aStopDrainsWithinTheGracePeriodOnANonRootReadOnlyFilesystem() {
    long grace =
        byKind.get("Deployment").at("/spec/template/spec/terminationGracePeriodSeconds").asLong();
    Duration drain =
        new DurationConverter().convert(environment().get("KPOOL_POOLS__DEFAULT__DRAIN_TIMEOUT"));
    long preStop = Long.parseLong(container().at("/lifecycle/preStop/exec/command/1").asText());
    assertTrue(
        grace > preStop + drain.toSeconds(), "grace " + grace + " s > preStop + drain " + drain);
    assertTrue(
        byKind
            .get("Deployment")
            .at("/spec/template/spec/securityContext/runAsNonRoot")
            .asBoolean());
    assertTrue(container().at("/securityContext/readOnlyRootFilesystem").asBoolean());
    assertEquals(
        "/tmp", container().at("/volumeMounts/0/mountPath").asText(), "the JVMs still get a /tmp");
  }

  @Test
  void kedaScalesTheDeploymentOnTheBacklogTheSupervisorServes() {
    JsonNode scaled = byKind.get("ScaledObject");
    assertEquals(
        byKind.get("Deployment").at("/metadata/name").asText(),
        scaled.at("/spec/scaleTargetRef/name").asText());
    assertTrue(scaled.at("/spec/minReplicaCount").asInt() >= 1, "one supervisor serves the figure");
    JsonNode trigger = scaled.at("/spec/triggers/0");
    assertEquals("metrics-api", trigger.get("type").asText());
    URI url = URI.create(trigger.at("/metadata/url").asText());
    assertEquals(
        byKind.get("Service").at("/metadata/name").asText(), url.getHost().split("\\.")[0]);
    assertEquals(byKind.get("Service").at("/spec/ports/0/port").asInt(), url.getPort());
    Set<String> pools =
        environment().keySet().stream()
            .filter(k -> k.endsWith("__COMMAND"))
            .map(k -> k.split("__")[1].toLowerCase())
            .collect(Collectors.toSet());
    String path = BacklogResource.class.getAnnotation(Path.class).value();
    assertTrue(
        pools.stream().anyMatch(pool -> url.getPath().equals(path.replace("{pool}", pool))),
        url + " is the backlog of one of " + pools);
    String value = trigger.at("/metadata/valueLocation").asText();
    assertTrue(
        Arrays.stream(Backlog.class.getRecordComponents()).anyMatch(c -> c.getName().equals(value)),
        value);
  }
}
