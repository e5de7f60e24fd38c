package dev.kpool.protocol.frame;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kpool.protocol.ProtocolJson;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reads and writes protocol frames: a 4-byte big-endian length, then that many bytes of UTF-8 JSON
 * whose {@code type} property names the frame.
 *
 * <p>Instances are immutable and thread-safe, but a stream must not be written by two threads at
 * once: callers serialize writes per stream.
 */
public final class FrameCodec {
  /** Protocol version this codec speaks. */
  public static final int VERSION = 1;

  /** Default largest frame, 16 MiB. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

  private final ObjectMapper mapper = ProtocolJson.mapper();
  private final int maxFrameBytes;

  /** A codec that refuses frames over {@code maxFrameBytes}. */
  public FrameCodec(int maxFrameBytes) {
    if (maxFrameBytes < 1024) {
      throw new IllegalArgumentException("maxFrameBytes must be at least 1024: " + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  /** The largest frame this codec reads or writes. */
  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  /**
   * Writes one frame and flushes.
   *
   * @throws FrameException if the encoded frame is larger than the maximum (nothing is written)
   * @throws IOException if the stream fails
   */
  public void write(OutputStream out, Object frame) throws IOException {
    byte[] body = mapper.writeValueAsBytes(frame);
    if (body.length > maxFrameBytes) {
      throw new FrameException(
          "frame of " + body.length + " bytes is over the maximum of " + maxFrameBytes);
    }
    byte[] header = {
      (byte) (body.length >>> 24), (byte) (body.length >>> 16),
      (byte) (body.length >>> 8), (byte) body.length
    };
    out.write(header);
    out.write(body);
    out.flush();
  }

  /**
   * Reads one frame, blocking until it is complete.
   *
   * @return the frame, or {@code null} at a clean end of stream (between frames)
   * @throws FrameException if the frame is too large, truncated, or not a frame of {@code type}
   * @throws IOException if the stream fails
   */
  public <T> T read(InputStream in, Class<T> type) throws IOException {
    DataInputStream data = in instanceof DataInputStream d ? d : new DataInputStream(in);
    int first = data.read();
    if (first < 0) {
      return null;
    }
    int length;
    byte[] body;
    try {
      length = (first << 24) | (data.readUnsignedByte() << 16) | data.readUnsignedShort();
      if (length < 0 || length > maxFrameBytes) {
        throw new FrameException(
            "frame length "
                + Integer.toUnsignedString(length)
                + " is over the maximum of "
                + maxFrameBytes
                + " (is something other than the protocol writing to stdout?)");
      }
      body = new byte[length];
      data.readFully(body);
    } catch (EOFException e) {
      throw new FrameException("stream ended inside a frame", e);
    }
    try {
      return mapper.readValue(body, type);
    } catch (IOException e) {
      throw new FrameException(
          "not a valid " + type.getSimpleName() + " frame: " + e.getMessage(), e);
    }
  }
}
