package dev.kpool.client.internal;

/** The few topic operations a pool handle needs; faked in unit tests. */
interface TopicAdmin {
  /** Creates {@code topic} with one partition unless it exists. */
  void ensure(String topic);

  /** Deletes {@code topic}; failures are logged, not thrown. */
  void delete(String topic);
}
