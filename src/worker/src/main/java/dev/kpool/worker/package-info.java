/**
 * The Java worker SDK: register task functions by name, then {@link dev.kpool.worker.Worker#run()}
 * speaks the kpool worker protocol on the process's stdin and stdout.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   Worker.builder()
 *       .task("square", Integer.class, x -> x * x)
 *       .build()
 *       .runAndExit();
 * }
 * }</pre>
 *
 * <p>A worker runs only the names it registered; nothing read from the wire is executed as code or
 * deserialized into a type the task author did not declare. Everything under {@code
 * dev.kpool.worker.internal} is implementation and may change without notice. The protocol is
 * specified in {@code docs/protocol.md}.
 */
package dev.kpool.worker;
