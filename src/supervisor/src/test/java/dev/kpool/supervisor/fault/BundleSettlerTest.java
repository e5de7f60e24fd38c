package dev.kpool.supervisor.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kpool.protocol.HeaderNames;
import dev.kpool.protocol.TaskBundle;
import dev.kpool.supervisor.dispatch.TaskWork;
import dev.kpool.supervisor.kafka.TaskRecords;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class BundleSettlerTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static ConsumerRecord<String, byte[]> bundle(byte[] value, String... headers) {
    var record = new ConsumerRecord<String, byte[]>("kpool.p.tasks", 2, 42L, null, value);
    for (int i = 0; i < headers.length; i += 2) {
      record.headers().add(headers[i], utf8(headers[i + 1]));
    }
    return record;
  }

  @Test
  void eachMemberBecomesATaskRecordOfItsOwnWithTheBundlesOtherHeaders() throws Exception {
    byte[] value =
        TaskBundle.encode(
            List.of(
                new TaskBundle.Member("t1", utf8("3")),
                new TaskBundle.Member("t2", utf8("{\"a\":1}"))));
    var members =
        BundleSettler.split(
            bundle(
                value,
                HeaderNames.TASK,
                "square",
                HeaderNames.BUNDLE,
                "2",
                HeaderNames.REPLY_TO,
                "kpool.replies.c",
                HeaderNames.ATTEMPT,
                "2",
                HeaderNames.DEADLINE,
                "99"));
    assertEquals(2, members.size());
    var second = members.get(1);
    assertEquals("t2", second.key());
    assertEquals("{\"a\":1}", new String(second.value(), StandardCharsets.UTF_8));
    assertEquals("t2", TaskRecords.header(second.headers(), HeaderNames.ID));
    assertNull(second.headers().lastHeader(HeaderNames.BUNDLE), "a member is not a bundle");
    assertEquals("kpool.replies.c", TaskRecords.header(second.headers(), HeaderNames.REPLY_TO));
    assertEquals(2, second.partition());
    assertEquals(42L, second.offset(), "a member's dead letter says where its bundle was");

    TaskWork work = TaskRecords.parse(members.get(0), 3, 1024);
    assertEquals("t1", work.id());
    assertEquals(3, work.items().get(0).asInt());
    assertEquals(4, work.attempt(), "the bundle's attempt plus its redeliveries");
    assertEquals(99L, work.deadline());
  }

  @Test
  void aBundleThatBreaksTheFormatIsRefusedSayingWhy() {
    byte[] one = TaskBundle.encode(List.of(new TaskBundle.Member("t1", utf8("3"))));
    var noCount =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                BundleSettler.split(
                    bundle(one, HeaderNames.TASK, "square", HeaderNames.BUNDLE, "x")));
    assertTrue(
        noCount.getMessage().contains("is not a non-negative number: x"), noCount.getMessage());
    var chunked =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                BundleSettler.split(
                    bundle(
                        one,
                        HeaderNames.TASK,
                        "square",
                        HeaderNames.BUNDLE,
                        "1",
                        HeaderNames.CHUNK,
                        "1")));
    assertTrue(chunked.getMessage().contains("chunks"), chunked.getMessage());
    var miscounted =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                BundleSettler.split(
                    bundle(one, HeaderNames.TASK, "square", HeaderNames.BUNDLE, "2")));
    assertTrue(miscounted.getMessage().contains("says 2"), miscounted.getMessage());
  }

  @Test
  void aRefusedBundleWhoseValueNamesNoMemberIsRepliedUnderItsOwnId() {
    var garbage =
        bundle(
            utf8("3"),
            HeaderNames.ID,
            "t9",
            HeaderNames.BUNDLE,
            "x",
            HeaderNames.REPLY_TO,
            "kpool.replies.c");
    assertEquals(List.of("t9"), BundleSettler.replyIds(garbage));
    byte[] two =
        TaskBundle.encode(
            List.of(
                new TaskBundle.Member("t1", utf8("3")), new TaskBundle.Member("t2", utf8("4"))));
    assertEquals(
        List.of("t1", "t2"),
        BundleSettler.replyIds(bundle(two, HeaderNames.ID, "t9")),
        "members that can be read are replied to one by one");
  }
}
