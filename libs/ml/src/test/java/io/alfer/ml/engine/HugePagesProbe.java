package io.alfer.ml.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a fresh JVM by {@link EngineSetupTest}: prepares the engine (unless told not to), then
 * fills a 64 MiB tensor and prints how much of this process's anonymous memory the kernel backs
 * with huge pages before and after, as {@code status=…}, {@code huge_before=…}, {@code
 * huge_after=…} lines.
 */
public final class HugePagesProbe {
  private HugePagesProbe() {}

  public static void main(String[] args) throws IOException {
    System.out.println("status=" + EngineSetup.prepare());
    try (NDManager manager = NDManager.newBaseManager()) {
      manager.zeros(new Shape(1), DataType.FLOAT32).close(); // the engine is loaded
      long before = anonHugePages();
      NDArray big = manager.ones(new Shape(16, 1024, 1024), DataType.FLOAT32);
      long after = anonHugePages();
      System.out.println("sum=" + big.sum().getFloat());
      System.out.println("huge_before=" + before);
      System.out.println("huge_after=" + after);
    }
  }

  /** {@code AnonHugePages} of /proc/self/smaps_rollup, bytes. */
  static long anonHugePages() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/smaps_rollup"))) {
      if (line.startsWith("AnonHugePages:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }
}
