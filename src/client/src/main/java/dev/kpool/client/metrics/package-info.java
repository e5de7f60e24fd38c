/**
 * Micrometer meters for a client {@link dev.kpool.client.Pool}. Micrometer is an optional
 * dependency of the client: add {@code io.micrometer:micrometer-core} to use this package.
 */
package dev.kpool.client.metrics;
