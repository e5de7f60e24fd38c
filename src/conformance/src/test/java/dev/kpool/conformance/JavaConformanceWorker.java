package dev.kpool.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kpool.worker.NonRetryableTaskException;
import dev.kpool.worker.Worker;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The conformance task set of docs/protocol.md, served by the Java worker SDK. With the argument
 * {@code --print-to-real-stdout} its {@code print} task bypasses the SDK and writes to file
 * descriptor 1: a broken worker the kit must catch.
 */
public final class JavaConformanceWorker {
  private JavaConformanceWorker() {}

  public static void main(String[] args) {
    boolean broken = args.length > 0 && args[0].equals("--print-to-real-stdout");
    worker(broken).runAndExit();
  }

  static Worker worker(boolean printToRealStdout) {
    AtomicReference<JsonNode> initialized = new AtomicReference<>();
    return Worker.builder()
        .task("echo", JsonNode.class, arg -> arg)
        .task("fail", JsonNode.class, JavaConformanceWorker::failIfText)
        .task(
            "fail-nonretryable",
            String.class,
            message -> {
              throw new NonRetryableTaskException(new IllegalArgumentException(message));
            })
        .task(
            "sleep",
            Long.class,
            millis -> {
              // The task's work is to take this long (docs/protocol.md's task set): the kit's
              // heartbeat, shutdown and end-of-stdin checks need a task that is busy for a set
              // time. Nothing is awaited here, so there is no condition to poll instead.
              Thread.sleep(millis);
              return millis;
            })
        .task(
            "print",
            String.class,
            text -> {
              if (printToRealStdout) {
                var stdout = new FileOutputStream(FileDescriptor.out);
                stdout.write((text + "\n").getBytes(StandardCharsets.UTF_8));
                stdout.flush();
              } else {
                System.out.println(text);
              }
              return text;
            })
        .bytesTask("echo-bytes", bytes -> bytes)
        .task(
            "submit",
            JsonNode.class,
            (arg, context) -> {
              context.submit("echo", arg);
              return arg;
            })
        .task("big", Integer.class, n -> "x".repeat(n))
        .task("init-arg", JsonNode.class, ignored -> initialized.get())
        .initializer("init", JsonNode.class, arg -> initialized.set(failIfText(arg)))
        .build();
  }

  private static JsonNode failIfText(JsonNode arg) {
    if (arg != null && arg.isTextual()) {
      throw new IllegalArgumentException(arg.textValue());
    }
    return arg;
  }
}
