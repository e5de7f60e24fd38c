/**
 * The wire contract shared by every kpool part: Kafka topic names, record headers, the reply
 * envelope and the JSON mapper they are read with. The worker stdio protocol lives in {@link
 * dev.kpool.protocol.frame}. This package depends on Jackson only.
 */
package dev.kpool.protocol;
