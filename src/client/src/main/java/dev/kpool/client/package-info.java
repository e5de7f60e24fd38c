/**
 * The kpool client: Python's {@code multiprocessing.Pool} over Kafka for any JVM application.
 *
 * <p>Build a {@link dev.kpool.client.Pool} for a pool name, describe tasks with {@link
 * dev.kpool.client.Task}, and call {@code apply}, {@code applyAsync}, {@code map}, {@code
 * mapAsync}, {@code imap}, {@code imapUnordered}, {@code starmap} or {@code starmapAsync}. Results
 * come back on the client's own reply topic and complete {@link dev.kpool.client.AsyncResult}s or
 * feed {@link dev.kpool.client.ResultIterator}s; callbacks and {@link
 * dev.kpool.client.ProgressListener}s run on the pool's callback executor, never on a Kafka I/O
 * thread. A client built with a stable client id can re-attach to the tasks of an earlier run.
 * Every failure is an unchecked {@link dev.kpool.client.KpoolException}, except cancellation, which
 * is {@link java.util.concurrent.CancellationException}.
 *
 * <p>docs/pool-guide.md sets each Pool call beside its kpool form; docs/replies.md explains reply
 * routing and durable handles.
 */
package dev.kpool.client;
