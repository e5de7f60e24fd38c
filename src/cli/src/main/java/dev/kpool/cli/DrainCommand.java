package dev.kpool.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code kpool drain <pool>}: the supervisor stops taking the pool's tasks and finishes its running ones. */
@Command(
    name = "drain",
    description =
        "Drain a pool on the supervisor: finish running tasks, take no more, "
            + "release the rest to the pool's other supervisors.")
final class DrainCommand implements Runnable {
  @Mixin SupervisorOptions options;

  @Parameters(index = "0", description = "the pool")
  String pool;

  @Override
  public void run() {
    var answer = options.api().post("pools/" + pool + "/drain");
    if (options.json) {
      options.printJson(answer);
    } else {
      options.out().println("draining pool " + pool);
      options.out().flush();
    }
  }
}
