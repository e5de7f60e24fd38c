package dev.kpool.supervisor.process;

/** Words for how a process ended, from its exit value. */
public final class ExitStatus {
  private ExitStatus() {}

  /**
   * Describes an exit value as the JDK reports it on Linux, where death by signal N shows as 128+N.
   * E.g. {@code "exit code 1"}, {@code "signal 9"}.
   */
  public static String describe(int exitValue) {
    if (exitValue > 128 && exitValue < 160) {
      return "signal " + (exitValue - 128);
    }
    return "exit code " + exitValue;
  }
}
