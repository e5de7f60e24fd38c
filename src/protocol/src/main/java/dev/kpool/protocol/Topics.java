package dev.kpool.protocol;

import java.util.regex.Pattern;

/**
 * Names of kpool's Kafka topics. Every topic starts with {@code kpool.} so that operators can grant
 * ACLs and set retention by prefix on a shared cluster.
 */
public final class Topics {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,120}");
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

  private Topics() {}

  /** The topic a pool takes its tasks from: {@code kpool.<pool>.tasks}. */
  public static String tasks(String pool) {
    return "kpool." + checkName("pool", pool) + ".tasks";
  }

  /** The pool's dead-letter topic: {@code kpool.<pool>.dlq}. */
  public static String deadLetters(String pool) {
    return "kpool." + checkName("pool", pool) + ".dlq";
  }

  /**
   * The pool's retry topic, {@code kpool.<pool>.retry}: tasks waiting out a backoff before their
   * next run. Supervisors move them back to the task topic when they are due.
   */
  public static String retries(String pool) {
    return "kpool." + checkName("pool", pool) + ".retry";
  }

  /** The consumer group of the supervisors' retry relays of a pool: {@code kpool.<pool>.retry}. */
  public static String retryGroup(String pool) {
    return retries(pool);
  }

  /** The reply topic of one client identity: {@code kpool.replies.<clientId>}. */
  public static String replies(String clientId) {
    return "kpool.replies." + checkName("client id", clientId);
  }

  /** The control topic every supervisor reads: cancellations and, later, pause/resume/drain. */
  public static String control() {
    return "kpool.control";
  }

  /** The share group that the supervisors serving a pool form: {@code kpool.<pool>}. */
  public static String shareGroup(String pool) {
    return "kpool." + checkName("pool", pool);
  }

  /**
   * Checks a pool name or client id: letters, digits, {@code _} and {@code -}, 1 to 120 characters
   * (dots are kept for the separators above).
   *
   * @throws IllegalArgumentException naming {@code what} if the name is not allowed
   */
  public static String checkName(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what + " must be 1-120 characters of [A-Za-z0-9_-], got: " + name);
    }
    return name;
  }

  /**
   * Checks a topic name the way Kafka does: letters, digits, {@code .}, {@code _} and {@code -}, 1
   * to 249 characters.
   *
   * @throws IllegalArgumentException if Kafka would refuse it
   */
  public static String checkTopic(String topic) {
    if (topic == null
        || !TOPIC.matcher(topic).matches()
        || topic.equals(".")
        || topic.equals("..")) {
      throw new IllegalArgumentException("not a valid topic name: " + topic);
    }
    return topic;
  }
}
