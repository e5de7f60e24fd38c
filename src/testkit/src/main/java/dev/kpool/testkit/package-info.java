/**
 * Test support for kpool's integration tests: {@link dev.kpool.testkit.KafkaBrokerExtension} shares
 * one {@link dev.kpool.testkit.KafkaTestBroker} across a JUnit run, embedded or, when a Docker engine
 * answers, a Testcontainers broker. Depend on this module with test scope only.
 */
package dev.kpool.testkit;
