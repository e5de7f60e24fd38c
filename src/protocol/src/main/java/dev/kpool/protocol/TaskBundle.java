package dev.kpool.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The value of a bundle record (header {@link HeaderNames#BUNDLE}): several independent tasks of
 * one task name, each with its own id, carried in one Kafka record so that the broker's per-record
 * share-group work is paid once for all of them. The value is a JSON array of {@code {"id": <task
 * id>, "arg": <JSON argument>}} objects; every other header applies to each member. Stateless.
 */
public final class TaskBundle {
  private static final byte[] OPEN = utf8("{\"id\":");
  private static final byte[] ARG = utf8(",\"arg\":");

  /** One task of a bundle: its id and its JSON argument, encoded. */
  public record Member(String id, byte[] arg) {}

  private TaskBundle() {}

  /**
   * Encodes members whose arguments are already JSON; the bytes are copied, not parsed again.
   *
   * @throws IllegalArgumentException if there are no members
   */
  public static byte[] encode(List<Member> members) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a bundle needs at least one member");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(encodedSize(members));
    try {
      out.write('[');
      for (int i = 0; i < members.size(); i++) {
        Member member = members.get(i);
        if (i > 0) {
          out.write(',');
        }
        out.write(OPEN);
        out.write(ProtocolJson.mapper().writeValueAsBytes(member.id()));
        out.write(ARG);
        out.write(member.arg());
        out.write('}');
      }
      out.write(']');
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }

  /** Bytes {@link #encode} writes for {@code members} apart from escapes in ids. */
  public static int encodedSize(List<Member> members) {
    int size = 2;
    for (Member member : members) {
      size += OPEN.length + ARG.length + member.id().length() + member.arg().length + 4;
    }
    return size;
  }

  /**
   * Decodes a bundle value into its members' ids and argument trees.
   *
   * @param count the member count the bundle header states
   * @throws IllegalArgumentException saying what is wrong if the value is not a JSON array of
   *     {@code count} objects, each with a non-blank text {@code id} and an {@code arg}
   */
  public static List<Parsed> decode(byte[] value, int count) {
    JsonNode node;
    try {
      node = ProtocolJson.mapper().readTree(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(
          "bundle value is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading from a byte array does not fail otherwise
    }
    if (node == null || !node.isArray() || node.size() != count) {
      throw new IllegalArgumentException(
          "bundle header says " + count + " tasks but the value is not a JSON array of that many");
    }
    List<Parsed> members = new ArrayList<>(count);
    for (JsonNode element : node) {
      JsonNode id = element.get("id");
      if (id == null || !id.isTextual() || id.asText().isBlank() || !element.has("arg")) {
        throw new IllegalArgumentException(
            "bundle member "
                + members.size()
                + " is not an object with a text \"id\" and an \"arg\"");
      }
      members.add(new Parsed(id.asText(), element.get("arg")));
    }
    return members;
  }

  /**
   * The ids that can be read from a bundle value that does not decode, so that their submitters can
   * be told; empty if none can.
   */
  public static List<String> readableIds(byte[] value) {
    List<String> ids = new ArrayList<>();
    try {
      JsonNode node = ProtocolJson.mapper().readTree(value);
      if (node != null && node.isArray()) {
        for (JsonNode element : node) {
          JsonNode id = element.get("id");
          if (id != null && id.isTextual() && !id.asText().isBlank()) {
            ids.add(id.asText());
          }
        }
      }
    } catch (IOException e) {
      // not JSON: no id can be read
    }
    return ids;
  }

  /** A decoded member: its id and its argument. */
  public record Parsed(String id, JsonNode arg) {}

  private static byte[] utf8(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
