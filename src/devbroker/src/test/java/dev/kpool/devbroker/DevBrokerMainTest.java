package dev.kpool.devbroker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
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
}
