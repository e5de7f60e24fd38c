package dev.kpool.supervisor.fault;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SettledTasksTest {
  @Test
  void remembersTasksByIdAndNameAndForgetsTheOldestPastItsCapacity() {
    SettledTasks settled = new SettledTasks(2);
    settled.add("t1", "square");
    assertTrue(settled.contains("t1", "square"));
    assertFalse(settled.contains("t1", "cube"), "the next stage of a pipeline has the same id");
    settled.add("t2", "square");
    settled.add("t3", "square");
    assertFalse(settled.contains("t1", "square"));
    assertTrue(settled.contains("t3", "square"));
  }
}
