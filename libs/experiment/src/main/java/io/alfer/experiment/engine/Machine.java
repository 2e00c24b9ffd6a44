package io.alfer.experiment.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** What the machine tells about its load, for the time columns of the results. */
public final class Machine {
  private Machine() {}

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
