package dev.kpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class KpoolCliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return KpoolCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void aUsageErrorExitsTwoAndSaysWhatIsWrong() {
    assertEquals(2, run("workers"));
    assertTrue(err.toString().contains("Missing required parameter"), err.toString());
  }

  @Test
  void aSupervisorThatDoesNotAnswerExitsOneWithOneLine() throws IOException {
    int port;
    try (ServerSocket closed = new ServerSocket(0)) {
      port = closed.getLocalPort();
    }
    assertEquals(1, run("pools", "--url=http://127.0.0.1:" + port));
    assertTrue(err.toString().startsWith("kpool: cannot reach the supervisor"), err.toString());
    assertEquals(1, err.toString().lines().count(), "no stack trace: " + err);
  }

  @Test
  void aCancelThatKafkaCannotTakeExitsOneWithOneLine() {
    assertEquals(1, run("cancel", "crawl", "t1", "--bootstrap-servers=127.0.0.1:not-a-port"));
    assertTrue(err.toString().startsWith("kpool: cancel request not written"), err.toString());
    assertEquals(1, err.toString().lines().count(), "no stack trace: " + err);
  }

  @Test
  void aSupervisorErrorThatIsNotJsonIsReportedWithItsStatusNotAsUnreachable() throws IOException {
    assertEquals(1, runAgainst(500, () -> "Internal Server Error", "pools"));
    assertTrue(err.toString().contains("500 Internal Server Error"), err.toString());
    assertFalse(err.toString().contains("cannot reach"), err.toString());
    assertEquals(1, err.toString().lines().count(), "no stack trace: " + err);
  }

  @Test
  void aSuccessfulAnswerThatIsNotJsonSaysSo() throws IOException {
    assertEquals(1, runAgainst(200, () -> "<html>a proxy's page</html>", "pools"));
    assertTrue(err.toString().contains("not JSON"), err.toString());
    assertFalse(err.toString().contains("cannot reach"), err.toString());
  }

  @Test
  void watchRatesTasksOverTheTimeBetweenReadsNotTheInterval() throws IOException {
    // Ten more tasks done at each read, and 1 ms between frames: the HTTP round trip alone makes
    // the time between reads longer, so the rate is below the 10,000 tasks/s the interval gives.
    AtomicLong done = new AtomicLong();
    String pools =
        "[{\"name\":\"crawl\",\"state\":\"RUNNING\",\"queued\":0,"
            + "\"workers\":{\"BUSY\":1,\"IDLE\":0,\"STARTING\":0},\"tasks\":{\"OK\":%d}}]";

    assertEquals(
        0,
        runAgainst(
            200,
            () -> String.format(pools, done.addAndGet(10)),
            "watch",
            "--count=2",
            "--interval=PT0.001S"));

    String last = out.toString().lines().reduce((first, second) -> second).orElseThrow();
    Matcher rate = Pattern.compile("([0-9.]+) tasks/s").matcher(last);
    assertTrue(rate.find(), last);
    assertTrue(Double.parseDouble(rate.group(1)) < 10_000, last);
  }

  /** Runs {@code args} against a local server answering {@code status} and the text {@code body}. */
  private int runAgainst(int status, Supplier<String> body, String... args) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/plain");
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    try {
      List<String> argv = new ArrayList<>(List.of(args));
      argv.add("--url=http://127.0.0.1:" + server.getAddress().getPort());
      return run(argv.toArray(String[]::new));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void helpListsEveryCommand() {
    assertEquals(0, run("--help"));
    for (String command :
        new String[] {
          "pools", "workers", "backlog", "dead-letters", "cancel", "drain", "submit", "watch"
        }) {
      assertTrue(out.toString().contains(command), command + " in " + out);
    }
  }

  @Test
  void tablesPadColumnsToTheirWidestCell() {
    new Table("POOL", "OK").row("squares", 12).row("a", 3).print(new PrintWriter(out, true));
    assertEquals("POOL     OK\nsquares  12\na        3\n", out.toString());
  }
}
