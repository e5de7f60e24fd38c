package dev.kpool.supervisor.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Resident memory of a process, where the OS tells it (Linux {@code /proc}). */
public final class ProcessMemory {
  private ProcessMemory() {}

  /** Resident set size in bytes, or empty where it cannot be read (the process is gone, or not Linux). */
  public static OptionalLong residentBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          String kb = line.substring("VmRSS:".length()).replace("kB", "").trim();
          return OptionalLong.of(Long.parseLong(kb) * 1024);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // gone or unreadable: the caller simply skips the memory check
    }
    return OptionalLong.empty();
  }
}
