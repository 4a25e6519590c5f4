package io.phase.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceiptNamesTest {
  @Test
  void onlyStepNumbersParse() {
    assertEquals(OptionalInt.of(7), ReceiptNames.parse("7.json"));
    assertEquals(OptionalInt.of(7), ReceiptNames.parse("7"));
    assertEquals(OptionalInt.of(10_000), ReceiptNames.parse("10000.json"));
    for (String bad :
        new String[] {
          null,
          "",
          ".json",
          "0",
          "07",
          "-1",
          "+1",
          "1.5",
          "10001",
          "99999999999",
          "../1.json",
          "1.json/..",
          "1/receipt.json",
          "receipt.json",
          "1.JSON",
          " 1",
          "1 ",
          "%2e%2e"
        }) {
      assertTrue(ReceiptNames.parse(bad).isEmpty(), String.valueOf(bad));
    }
  }

  @Test
  void fileNameRoundTrips() {
    assertEquals("12.json", ReceiptNames.fileName(12));
    assertEquals(OptionalInt.of(12), ReceiptNames.parse(ReceiptNames.fileName(12)));
  }

  @Test
  void stepDirectoriesCountUp(@TempDir Path build) throws Exception {
    assertEquals(1, StepDirectories.allocate(build));
    assertEquals(2, StepDirectories.allocate(build));
    Files.createDirectories(build.resolve("phase/not-a-step"));
    assertEquals(3, StepDirectories.allocate(build));
    assertTrue(Files.isDirectory(build.resolve("phase/3")));
    assertEquals(build.resolve("phase").resolve("3"), StepDirectories.of(build, 3));
  }

  @Test
  void parallelStepsGetDistinctDirectories(@TempDir Path build) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        results.add(pool.submit(() -> StepDirectories.allocate(build)));
      }
      Set<Integer> seen = ConcurrentHashMap.newKeySet();
      for (Future<Integer> f : results) {
        assertTrue(seen.add(f.get()));
      }
      assertEquals(40, seen.size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void deleteTreeRemovesInputs(@TempDir Path dir) throws Exception {
    Path inputs = dir.resolve(StepDirectories.INPUTS);
    Files.createDirectories(inputs.resolve("dir/a/b"));
    Files.writeString(inputs.resolve("dir/a/b/f.txt"), "x");
    Files.writeString(dir.resolve("receipt.json"), "{}");
    StepDirectories.deleteTree(inputs);
    StepDirectories.deleteTree(inputs);
    assertTrue(Files.notExists(inputs));
    assertTrue(Files.exists(dir.resolve("receipt.json")));
  }
}
