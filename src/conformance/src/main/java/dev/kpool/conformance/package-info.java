/**
 * The worker conformance kit: spawns a worker executable and checks it against the worker protocol,
 * {@code docs/protocol.md}, one named check per rule.
 *
 * <p>From a shell: {@code java -cp kpool-conformance.jar:kpool-protocol.jar:jackson-*.jar
 * dev.kpool.conformance.ConformanceKit -- python3 my_worker.py}; from Java: {@link
 * dev.kpool.conformance.ConformanceKit#check}. The worker must register the conformance task set
 * listed in {@link dev.kpool.conformance.ConformanceKit#TASKS}. Everything under {@code
 * dev.kpool.conformance.internal} is implementation.
 */
package dev.kpool.conformance;
