package dev.kpool.protocol.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.kpool.protocol.RemoteError;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  private final FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_BYTES);

  @Test
  void roundTripsEveryFrameTypeInOrder() throws IOException {
    var out = new ByteArrayOutputStream();
    var task =
        new ToWorker.Task("t1", "square", "application/json", List.of(IntNode.valueOf(7)), 1, 0);
    codec.write(out, new ToWorker.Hello(1, "default", "w1", 1 << 20, 1000));
    codec.write(out, task);
    codec.write(out, new ToWorker.Shutdown());
    var in = new ByteArrayInputStream(out.toByteArray());

    assertInstanceOf(ToWorker.Hello.class, codec.read(in, ToWorker.class));
    assertEquals(task, codec.read(in, ToWorker.class));
    assertInstanceOf(ToWorker.Shutdown.class, codec.read(in, ToWorker.class));
    assertNull(codec.read(in, ToWorker.class), "clean end of stream between frames");
  }

  @Test
  void carriesRemoteErrorsWithTheirIndex() throws IOException {
    var out = new ByteArrayOutputStream();
    var error = new RemoteError("ValueError", "bad", "stack", false, 3);
    codec.write(out, new FromWorker.Result("t1", List.of(IntNode.valueOf(1)), error));
    var read = codec.read(new ByteArrayInputStream(out.toByteArray()), FromWorker.class);
    assertEquals(error, ((FromWorker.Result) read).error());
  }

  @Test
  void refusesPrintedTextAsAFrameLength() {
    byte[] garbage = "hello from a stray println\n".getBytes(StandardCharsets.UTF_8);
    var e =
        assertThrows(
            FrameException.class,
            () -> codec.read(new ByteArrayInputStream(garbage), FromWorker.class));
    assertEquals(true, e.getMessage().contains("over the maximum"));
  }

  @Test
  void refusesToWriteAFrameOverTheMaximum() {
    var small = new FrameCodec(1024);
    var big =
        new ToWorker.Init(
            "i", "init", com.fasterxml.jackson.databind.node.TextNode.valueOf("x".repeat(2000)));
    var out = new ByteArrayOutputStream();
    assertThrows(FrameException.class, () -> small.write(out, big));
    assertEquals(0, out.size());
  }

  @Test
  void reportsATruncatedFrame() {
    byte[] truncated = {0, 0, 0, 10, '{'};
    assertThrows(
        FrameException.class,
        () -> codec.read(new ByteArrayInputStream(truncated), FromWorker.class));
  }

  @Test
  void reportsJsonOfNoKnownType() throws IOException {
    var out = new ByteArrayOutputStream();
    byte[] body = "{\"type\":\"launch-missiles\"}".getBytes(StandardCharsets.UTF_8);
    out.write(new byte[] {0, 0, 0, (byte) body.length});
    out.write(body);
    assertThrows(
        FrameException.class,
        () -> codec.read(new ByteArrayInputStream(out.toByteArray()), FromWorker.class));
  }
}
