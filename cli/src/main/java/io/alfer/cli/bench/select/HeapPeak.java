package io.alfer.cli.bench.select;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Peak heap growth while a piece of code runs. Before it: two full GCs, then the heap in use is the
 * baseline (the pool's data and everything else live). During it: a daemon thread reads the heap in
 * use every 2 ms. Peak = the largest reading minus the baseline, an upper bound on the code's
 * working memory: it also counts garbage the collector had not yet reclaimed.
 */
final class HeapPeak implements AutoCloseable {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private final long baseline;
  private final Thread sampler;
  private volatile boolean running = true;
  private volatile long peak;

  HeapPeak() {
    System.gc();
    System.gc();
    baseline = used();
    peak = baseline;
    sampler =
        new Thread(
            () -> {
              while (running) {
                peak = Math.max(peak, used());
                try {
                  Thread.sleep(2);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-peak");
    sampler.setDaemon(true);
    sampler.start();
  }

  private static long used() {
    return MEMORY.getHeapMemoryUsage().getUsed();
  }

  /** Heap in use after the pre-run GCs, in bytes. */
  long baselineBytes() {
    return baseline;
  }

  /** Stops sampling and returns the peak growth over the baseline, in bytes. */
  long stop() {
    running = false;
    try {
      sampler.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    peak = Math.max(peak, used());
    return Math.max(0, peak - baseline);
  }

  @Override
  public void close() {
    running = false;
  }
}
