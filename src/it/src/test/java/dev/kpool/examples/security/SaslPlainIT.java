package dev.kpool.examples.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.client.KpoolException;
import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.devbroker.EmbeddedKafkaBroker;
import dev.kpool.examples.local.KpoolHome;
import dev.kpool.examples.local.LocalCluster;
import dev.kpool.examples.local.SupervisorProcess;
import dev.kpool.examples.supervision.PoolFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka security settings pass through to every Kafka client kpool makes: a supervisor ({@code
 * kpool.kafka."<property>"}) and a client ({@code Pool.Builder.kafkaProperty}) with SASL/PLAIN
 * credentials run a task on a broker that accepts nothing else, and wrong credentials fail with
 * the broker's authentication error.
 */
class SaslPlainIT {
  private static final Task<Integer, Integer> SQUARE =
      Task.of("square", Integer.class, Integer.class);
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void startSaslOnlyBroker() {
    broker =
        EmbeddedKafkaBroker.builder()
            .saslPlainUser("supervisor", "supervisor-secret")
            .saslPlainUser("alice", "alice-secret")
            .build()
            .start();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  private static Map<String, String> saslPool(String pool, String user, String password) {
    Map<String, String> props = PoolFixture.faultPool(broker.bootstrapServers(), pool, 1);
    props.putAll(
        LocalCluster.kafkaPassThrough(
            EmbeddedKafkaBroker.saslPlainClientProperties(user, password)));
    return props;
  }

  private static Pool.Builder client(String pool, String user, String password) {
    Pool.Builder builder =
        Pool.builder()
            .bootstrapServers(broker.bootstrapServers())
            .pool(pool)
            .closeTimeout(Duration.ofSeconds(5));
    EmbeddedKafkaBroker.saslPlainClientProperties(user, password).forEach(builder::kafkaProperty);
    return builder;
  }

  @Test
  void aSupervisorAndAClientWithSaslPlainCredentialsRunATaskOnASaslOnlyBroker() throws Exception {
    try (PoolFixture supervisor =
            PoolFixture.start(
                broker.bootstrapServers(),
                "sasl",
                saslPool("sasl", "supervisor", "supervisor-secret"));
        Pool pool = client("sasl", "alice", "alice-secret").build()) {
      assertEquals(49, pool.apply(SQUARE, 7, WAIT));
    }
  }

  @Test
  void aClientWithAWrongPasswordFailsToBuildWithTheAuthenticationError() {
    KpoolException refused =
        assertThrows(
            KpoolException.class,
            () -> client("sasl", "alice", "not-her-password").build().close());
    assertTrue(refused.getMessage().contains("Authentication failed"), refused.getMessage());
  }

  @Test
  void aSupervisorWithAWrongPasswordStopsAtStartNamingTheAuthenticationFailure() throws Exception {
    Path log = Path.of("target", "supervisor-sasl-wrong-password.log");
    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class,
            () ->
                SupervisorProcess.start(
                        KpoolHome.locate(),
                        saslPool("sasl-wrong", "supervisor", "wrong"),
                        log,
                        WAIT)
                    .close());
    assertTrue(refused.getMessage().contains("exited before serving"), refused.getMessage());
    assertTrue(
        Files.readString(log).contains("Authentication failed"), "the log names the cause: " + log);
  }
}
