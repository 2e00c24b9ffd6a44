package io.alfer.core.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories for a service's background executors: daemon threads (they never keep a JVM
 * alive that is shutting down) with names that say what they do in a thread dump or a profile.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** Every thread named {@code name}: for an executor of one thread. */
  public static ThreadFactory named(String name) {
    return r -> daemon(r, name);
  }

  /** Threads named {@code prefix-1}, {@code prefix-2}, …: for a pool. */
  public static ThreadFactory numbered(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> daemon(r, prefix + "-" + n.incrementAndGet());
  }

  /** A daemon thread named {@code name} that runs {@code task}, not started. */
  public static Thread daemon(Runnable task, String name) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    return t;
  }
}
