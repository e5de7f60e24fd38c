package dev.kpool.bench;

/** One of the systems compared: runs a spec and measures it. Used from one thread. */
interface BenchSystem extends AutoCloseable {

  /** The {@code system=} value of its result lines. */
  String name();

  /** Whether this system has a meaning for the workload (the raw loop has no pool to start). */
  boolean supports(Workload workload);

  /** Runs the spec once, measured; may warm up first. */
  Result run(Spec spec) throws Exception;

  @Override
  void close();
}
