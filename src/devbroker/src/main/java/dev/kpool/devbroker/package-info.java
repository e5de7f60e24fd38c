/**
 * A real single-node Kafka broker for the demo, dev mode and tests: {@link
 * dev.kpool.devbroker.EmbeddedKafkaBroker} in-process, {@link dev.kpool.devbroker.DevBrokerMain} as
 * a child process, and {@link dev.kpool.devbroker.KafkaBrokerExtension} sharing one {@link
 * dev.kpool.devbroker.KafkaTestBroker} across a JUnit run.
 */
package dev.kpool.devbroker;
