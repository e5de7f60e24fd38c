/**
 * The kpool client: {@code multiprocessing.Pool} semantics over Kafka for any JVM application.
 *
 * <p>Build a {@link dev.kpool.client.Pool} for a pool name, describe tasks with {@link
 * dev.kpool.client.Task}, and submit. Results come back on the client's reply topic and complete
 * {@link dev.kpool.client.AsyncResult}s; callbacks run on the pool's callback executor, never on a
 * Kafka I/O thread. Every failure is an unchecked {@link dev.kpool.client.KpoolException}.
 */
package dev.kpool.client;
