package dev.kpool.worker;

import dev.kpool.protocol.frame.FromWorker;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link Worker} session on a thread of the test JVM, over two OS pipes. End of input does not
 * halt the JVM here; it is recorded in {@link #haltedAtEndOfInput()}.
 */
final class InProcessWorker implements AutoCloseable {
  final FramePeer peer;
  private final Pipe stdin = Pipe.open();
  private final Pipe stdout = Pipe.open();
  private final AtomicBoolean halted = new AtomicBoolean();
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  private InProcessWorker(Worker worker) throws IOException {
    peer =
        new FramePeer(
            Channels.newOutputStream(stdin.sink()), Channels.newInputStream(stdout.source()));
    Thread thread =
        new Thread(
            () -> {
              try {
                exit.complete(
                    worker.run(
                        Channels.newInputStream(stdin.source()),
                        Channels.newOutputStream(stdout.sink()),
                        () -> halted.set(true)));
              } catch (Throwable t) {
                exit.completeExceptionally(t);
              }
            },
            "test-worker-session");
    thread.setDaemon(true);
    thread.start();
  }

  static InProcessWorker start(Worker worker) throws IOException {
    return new InProcessWorker(worker);
  }

  /** The session's exit code, waiting at most {@link FramePeer#TIMEOUT_SECONDS}. */
  int exitCode() throws Exception {
    return exit.get(FramePeer.TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** Closes the worker's stdout once it has exited and returns the frames it had not yet read. */
  List<FromWorker> framesAfterExit() throws Exception {
    exitCode();
    stdout.sink().close();
    return peer.rest();
  }

  boolean exited() {
    return exit.isDone();
  }

  boolean haltedAtEndOfInput() {
    return halted.get();
  }

  /** Ends the session with end of input, as a dying supervisor would, then closes the pipes. */
  @Override
  public void close() throws IOException {
    stdin.sink().close();
    try {
      exit.get(FramePeer.TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing the pipes below ends whatever is left
    }
    stdin.source().close();
    stdout.sink().close();
    stdout.source().close();
  }
}
