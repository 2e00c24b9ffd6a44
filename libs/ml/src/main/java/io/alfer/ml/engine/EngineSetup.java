package io.alfer.ml.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Process-wide settings of the native PyTorch engine that must be in place before it allocates its
 * first tensor. alfer-ml applies them when its first model or seed is made ({@code NetworkModel},
 * {@code Seeds}); a program that touches the engine earlier calls {@link #prepare()} first.
 *
 * <p><b>Transparent huge pages for large tensors.</b> A training step's activations and gradients
 * are large (a 48×48 batch of 2 × 128 views at 32 channels is 75 MB per tensor) and short-lived.
 * glibc serves such blocks with {@code mmap} and returns them with {@code munmap}, so every step
 * faults every page of them in again, 4 KiB at a time, and the kernel zeroes each page: measured on
 * the SimCLR benchmark (2 threads), a third of the step's CPU time went to the kernel. libtorch
 * (2.2 and later) can ask for transparent huge pages on blocks of 2 MiB and more when the variable
 * {@value #HUGE_PAGES} is set; it reads the variable once, at its first allocation. {@link
 * #prepare()} sets it to 1 in the process environment (through the C library's {@code setenv}),
 * which cuts those faults by a factor of about 20 and the step's CPU time by about a third. The
 * arithmetic is untouched: only where the memory comes from changes.
 *
 * <p>Nothing is changed when the variable is already set (the operator's value wins), when the
 * system property {@value #PROPERTY} is {@code false}, off Linux, or when the kernel has
 * transparent huge pages {@code never}; a failure to set it is reported by {@link #status()} and
 * otherwise ignored (the engine then runs as before).
 */
public final class EngineSetup {
  /** libtorch's switch for transparent huge pages on CPU tensors of 2 MiB and more. */
  public static final String HUGE_PAGES = "THP_MEM_ALLOC_ENABLE";

  /** System property: {@code false} leaves the engine's allocator as it is. */
  public static final String PROPERTY = "alfer.ml.huge-pages";

  private static final Path THP_MODE = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

  private static String status;

  private EngineSetup() {}

  /** The C library's environment functions. */
  private interface CLibrary extends Library {
    int setenv(String name, String value, int overwrite);
  }

  /**
   * Applies the settings, once per process; later calls only return what the first did. Call it
   * before anything touches the engine.
   *
   * @return what was done, for the logs (also {@link #status()})
   */
  public static synchronized String prepare() {
    if (status == null) {
      status = apply();
    }
    return status;
  }

  /** What {@link #prepare()} did, or {@code "not prepared"}. */
  public static synchronized String status() {
    return status == null ? "not prepared" : status;
  }

  private static String apply() {
    String given = System.getenv(HUGE_PAGES);
    if (given != null) {
      return HUGE_PAGES + "=" + given + " from the environment";
    }
    if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim())) {
      return "huge pages for tensors off (" + PROPERTY + "=false)";
    }
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return "huge pages for tensors: not on Linux, allocator unchanged";
    }
    String mode = transparentHugePageMode();
    if (mode.equals("never")) {
      return "huge pages for tensors: the kernel's transparent huge pages are off (never)";
    }
    try {
      CLibrary c = Native.load("c", CLibrary.class);
      int result = c.setenv(HUGE_PAGES, "1", 0);
      if (result != 0) {
        return "huge pages for tensors: setenv failed (" + Native.getLastError() + ")";
      }
    } catch (LinkageError | RuntimeException e) {
      return "huge pages for tensors: cannot reach the C library (" + e + ")";
    }
    return HUGE_PAGES
        + "=1: tensors of 2 MiB and more on transparent huge pages (kernel mode "
        + mode
        + ")";
  }

  /** The kernel's transparent huge page mode: always, madvise, never, or unknown. */
  public static String transparentHugePageMode() {
    try {
      String line = Files.readString(THP_MODE);
      int open = line.indexOf('[');
      int close = line.indexOf(']', open + 1);
      return open >= 0 && close > open ? line.substring(open + 1, close) : "unknown";
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
