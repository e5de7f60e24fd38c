package dev.kpool.protocol.frame;

import java.io.IOException;

/** The peer broke the framing: a frame too large, truncated, or not valid JSON of a known type. */
public class FrameException extends IOException {
  public FrameException(String message) {
    super(message);
  }

  public FrameException(String message, Throwable cause) {
    super(message, cause);
  }
}
