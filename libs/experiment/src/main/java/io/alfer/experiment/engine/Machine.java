package io.alfer.experiment.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** What the machine tells about its load, for the time columns of the results; and one setting. */
public final class Machine {
  private Machine() {}

  /** The C library's {@code setenv}, through JNA (which DJL brings). */
  private interface LibC extends Library {
    int setenv(String name, String value, int overwrite);
  }

  /**
   * Makes the engine's OpenMP threads sleep instead of spin while they wait ({@code
   * OMP_WAIT_POLICY=PASSIVE}), unless the environment says otherwise. On a machine whose cores are
   * shared with other processes, spinning threads fight over the cores: measured on the 2-core
   * development machine at load 7, fine-tuning ran 3 to 6 times faster with passive waiting, with
   * identical results. OpenMP reads the variable once, when the engine's native library loads, so
   * this must run before the first use of the engine; it sets the process environment through the C
   * library (Java cannot).
   *
   * @return whether the policy was set now
   */
  public static boolean preferPassiveOpenMpWaiting() {
    if (System.getenv("OMP_WAIT_POLICY") != null) {
      return false;
    }
    try {
      LibC c = Native.load("c", LibC.class);
      return c.setenv("OMP_WAIT_POLICY", "PASSIVE", 0) == 0;
    } catch (LinkageError | RuntimeException e) {
      return false; // not a C library we can reach: the engine keeps its default
    }
  }

  /** Processor seconds this process has used (every thread, native ones included), or NaN. */
  public static double cpuSeconds() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      long nanos = sun.getProcessCpuTime();
      return nanos < 0 ? Double.NaN : nanos / 1e9;
    }
    return Double.NaN;
  }

  /** The one-minute load average, or -1 when the system does not tell. */
  public static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Processors available to this JVM. */
  public static int processors() {
    return Runtime.getRuntime().availableProcessors();
  }
}
