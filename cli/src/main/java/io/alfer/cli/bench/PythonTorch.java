package io.alfer.cli.bench;

import java.io.IOException;

/** Whether a Python interpreter can import the modules a benchmark's reference script needs. */
final class PythonTorch {
  private PythonTorch() {}

  /** Whether {@code python} imports every module of {@code modules} (e.g. "torch", "numpy"). */
  static boolean available(String python, String... modules) throws InterruptedException {
    try {
      Process check =
          new ProcessBuilder(python, "-c", "import " + String.join(", ", modules))
              .redirectErrorStream(true)
              .start();
      check.getInputStream().readAllBytes();
      return check.waitFor() == 0;
    } catch (IOException e) {
      return false; // no such interpreter
    }
  }

  /** What to tell a user whose interpreter lacks them. */
  static String missing(String python, String packages) {
    return "PyTorch is missing for "
        + python
        + ": install it with `apt-get update && apt-get install -y "
        + packages
        + "` (Debian/Ubuntu), or point --python at an interpreter that has it";
  }

  /** Integers as a reference script's list argument: {@code 32,64,128}. */
  static String commaList(int[] values) {
    StringBuilder s = new StringBuilder();
    for (int v : values) {
      s.append(s.length() == 0 ? "" : ",").append(v);
    }
    return s.toString();
  }
}
