package dev.kpool.examples.fault;

/** What a test needs to run a class of the test sources in a JVM of its own. */
public final class ChildJvm {
  private ChildJvm() {}

  /** The class path of this test run: Surefire's and Failsafe's, or this JVM's own. */
  public static String testClassPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank()
        ? surefire
        : System.getProperty("java.class.path");
  }
}
