/**
 * A real single-node Kafka broker for the demo, dev mode and tests: {@link
 * dev.kpool.devbroker.EmbeddedKafkaBroker} in-process, and {@link dev.kpool.devbroker.DevBrokerMain}
 * as a child process. The JUnit extension that shares one broker across a test run lives in
 * {@code kpool-testkit}.
 */
package dev.kpool.devbroker;
