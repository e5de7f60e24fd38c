package dev.kpool.examples.operations;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kpool.client.Pool;
import dev.kpool.client.Task;
import dev.kpool.client.TaskFailedException;
import dev.kpool.examples.supervision.PoolFixture;
import dev.kpool.testkit.KafkaBrokerExtension;
import dev.kpool.testkit.KafkaTestBroker;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard at {@code /} in a real headless Chromium (Debian's chromium and chromium-driver):
 * a pool's numbers move while tasks run, a dead letter is replayed, then discarded (and stays gone
 * after a reload), and a running task cancelled by a click. Leaves a
 * screenshot at {@code target/dashboard.png}.
 */
@ExtendWith(KafkaBrokerExtension.class)
class DashboardIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Task<Long, Long> SLEEP = Task.of("sleep", Long.class, Long.class);
  private static final Task<String, String> FAIL_UNTIL_FILE =
      Task.of("fail-until-file", String.class, String.class);
  private static PoolFixture fixture;
  private static ChromeDriver browser;
  private static Path profile;

  @BeforeAll
  static void start(KafkaTestBroker broker) throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "needs Debian's chromium and chromium-driver (.ci/run installs them)");
    // Retried runs: a task that fails them all is dead-lettered (with one run it is only replied).
    Map<String, String> props = PoolFixture.retryingFaultPool(broker.bootstrapServers(), "dash", 2);
    fixture = PoolFixture.start(broker.bootstrapServers(), "dash", props);
    await().atMost(WAIT).until(() -> fixture.supervisor.httpPort() > 0);
    profile = Files.createTempDirectory("kpool-chromium");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
    // This machine has loopback only: nothing may try to reach the network.
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,900",
        "--user-data-dir=" + profile);
    // An explicit driver keeps Selenium Manager, which would download one, out of the way.
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    browser.get("http://127.0.0.1:" + fixture.supervisor.httpPort() + "/");
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (fixture != null) {
      fixture.close();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  @Test
  void aPoolsNumbersMoveWhileTasksRunADeadLetterIsReplayedThenDiscardedAndATaskCancelledByAClick()
      throws Exception {
    await().atMost(WAIT).until(() -> okCount() >= 0);
    long before = okCount();
    try (Pool pool = fixture.clientBuilder().build()) {
      List<dev.kpool.client.AsyncResult<Long>> running = new ArrayList<>();
      for (long i = 0; i < 6; i++) {
        running.add(pool.applyAsync(SLEEP, 300L));
      }
      await().atMost(WAIT).until(() -> cellText("workers").matches("\\d+ / [12] / \\d+"));
      for (var r : running) {
        r.get(WAIT);
      }
      await().atMost(WAIT).until(() -> okCount() == before + 6);

      Path flag = Files.createTempFile("kpool-dashboard", ".flag");
      Files.delete(flag);
      var failure =
          org.junit.jupiter.api.Assertions.assertThrows(
              TaskFailedException.class, () -> pool.apply(FAIL_UNTIL_FILE, flag.toString(), WAIT));
      By deadLetter =
          By.cssSelector("#dead-letters tr[data-task-id='" + failure.taskId() + "'] button.replay");
      await().atMost(WAIT).until(() -> !browser.findElements(deadLetter).isEmpty());
      Files.createFile(flag);
      long okBeforeReplay = okCount();
      Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(shot, Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);

      fresh(
          () -> {
            browser.findElement(deadLetter).click();
            return null;
          });

      await().atMost(WAIT).until(() -> okCount() == okBeforeReplay + 1);
      Files.deleteIfExists(flag);

      By discard =
          By.cssSelector(
              "#dead-letters tr[data-task-id='" + failure.taskId() + "'] button.discard");
      fresh(
          () -> {
            browser.findElement(discard).click();
            return null;
          });
      browser.switchTo().alert().accept();
      await().atMost(WAIT).until(() -> browser.findElements(discard).isEmpty());
      browser.navigate().refresh();
      await()
          .atMost(WAIT)
          .until(() -> browser.findElement(By.id("status")).getText().startsWith("updated"));
      assertTrue(
          browser.findElements(deadLetter).isEmpty(),
          "a discarded dead letter stays gone after a reload");

      var endless = pool.applyAsync(SLEEP, 600_000L);
      await().atMost(WAIT).until(() -> cellText("workers").matches("\\d+ / 1 / \\d+"));
      browser.findElement(By.id("cancel-task")).sendKeys(endless.taskId());
      browser.findElement(By.cssSelector("#cancel button")).click();
      await().atMost(WAIT).until(() -> cellText("cancelled").equals("1"));
      assertTrue(browser.findElement(By.id("cancel-status")).getText().contains(endless.taskId()));
    }
    assertTrue(browser.findElement(By.id("status")).getText().startsWith("updated"));
  }

  private static String cellText(String cls) {
    return fresh(
        () ->
            browser.findElement(By.cssSelector("#pools tr[data-pool='dash'] td." + cls)).getText());
  }

  private static long okCount() {
    return fresh(
        () -> {
          var cells = browser.findElements(By.cssSelector("#pools tr[data-pool='dash'] td.ok"));
          return cells.isEmpty() ? -1 : Long.parseLong(cells.get(0).getText());
        });
  }

  /**
   * Reads (or clicks) the page again when it was redrawn between finding an element and using it:
   * the dashboard rebuilds its tables every second, so an element found a moment ago can be gone.
   */
  private static <T> T fresh(Supplier<T> read) {
    for (int attempt = 1; ; attempt++) {
      try {
        return read.get();
      } catch (StaleElementReferenceException e) {
        if (attempt == 20) {
          throw e;
        }
      }
    }
  }
}
