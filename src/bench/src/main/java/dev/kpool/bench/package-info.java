/**
 * The benchmark harness ({@code ./kpool bench}): the same workloads on kpool, on Python's {@code
 * multiprocessing.Pool} and on a raw Kafka request/reply loop, one embedded broker, one run; see
 * docs/performance.md.
 */
package dev.kpool.bench;
