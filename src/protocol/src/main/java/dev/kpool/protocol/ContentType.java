package dev.kpool.protocol;

/** How a task record's value is encoded. */
public enum ContentType {
  /** UTF-8 JSON: the argument itself, or a JSON array of arguments on a chunked record. */
  JSON("application/json"),
  /** Opaque bytes handed to the task as they are; chunking is not available. */
  BYTES("application/octet-stream");

  private final String mime;

  ContentType(String mime) {
    this.mime = mime;
  }

  /** The header value that names this content type. */
  public String mime() {
    return mime;
  }

  /**
   * Parses a {@link HeaderNames#CONTENT_TYPE} header value; {@code null} means JSON.
   *
   * @throws IllegalArgumentException if the value names no known content type
   */
  public static ContentType fromMime(String mime) {
    if (mime == null) {
      return JSON;
    }
    for (ContentType type : values()) {
      if (type.mime.equals(mime)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown content type: " + mime);
  }
}
