package dev.kpool.devbroker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DevBrokerMainTest {

  @Test
  void parsesPortAndDataDirWithoutStartingAnything() {
    EmbeddedKafkaBroker broker =
        DevBrokerMain.parse(new String[] {"--port", "19092", "--data-dir", "/tmp/kpool-x"}).build();

    assertEquals("127.0.0.1:19092", broker.bootstrapServers());
    assertEquals(Path.of("/tmp/kpool-x"), broker.dataDir());
  }

  @Test
  void rejectsUnknownFlagsMissingValuesAndBadPorts() {
    assertThrows(IllegalArgumentException.class, () -> DevBrokerMain.parse(new String[] {"-p"}));
    assertThrows(
        IllegalArgumentException.class, () -> DevBrokerMain.parse(new String[] {"--port"}));
    assertThrows(
        IllegalArgumentException.class, () -> DevBrokerMain.parse(new String[] {"--port", "x"}));
    assertThrows(
        IllegalArgumentException.class,
        () -> DevBrokerMain.parse(new String[] {"--port", "70000"}));
  }

  @Test
  void readsAStartTimeoutInSecondsMinutesOrIso() {
    assertEquals(Duration.ofSeconds(300), DevBrokerMain.duration("300s"));
    assertEquals(Duration.ofMinutes(5), DevBrokerMain.duration("5m"));
    assertEquals(Duration.ofMillis(1500), DevBrokerMain.duration("1500ms"));
    assertEquals(Duration.ofMinutes(5), DevBrokerMain.duration("PT5M"));
    DevBrokerMain.parse(new String[] {"--start-timeout", "5m"}).build();
    assertTrue(
        DevBrokerMain.DEFAULT_START_TIMEOUT.compareTo(Duration.ofSeconds(120)) >= 0,
        "the default leaves room for log recovery");
  }

  @Test
  void rejectsAStartTimeoutThatIsNotAPositiveDuration() {
    for (String bad : new String[] {"0s", "-5s", "PT-8.8S", "soon", "30"}) {
      assertThrows(
          IllegalArgumentException.class,
          () -> DevBrokerMain.parse(new String[] {"--start-timeout", bad}),
          bad);
    }
  }

  @Test
  void aStartThatTimedOutSaysHowLongItTookAndTheTimeoutBothPositive() {
    String message =
        Readiness.timedOutMessage(
            "127.0.0.1:9092", Duration.ofMillis(38_800), Duration.ofSeconds(30));
    assertTrue(message.contains("after 38.8 s (start timeout 30.0 s"), message);
  }
}
