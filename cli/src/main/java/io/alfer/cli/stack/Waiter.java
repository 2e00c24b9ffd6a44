package io.alfer.cli.stack;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded polling with progress: a dot per second while waiting, the time taken at the end. */
final class Waiter {
  private static final long INTERVAL_MILLIS = 200;

  private final PrintWriter out;

  Waiter(PrintWriter out) {
    this.out = out;
  }

  /**
   * Waits until {@code ready} holds. Fails when {@code died} holds first or {@code timeout} passes,
   * with {@code why} telling the user where to look.
   */
  void await(
      String what,
      Duration timeout,
      BooleanSupplier ready,
      BooleanSupplier died,
      Supplier<String> why) {
    out.print("  waiting for " + what);
    out.flush();
    long start = System.nanoTime();
    long nextDot = start + 1_000_000_000L;
    while (!ready.getAsBoolean()) {
      long now = System.nanoTime();
      if (died.getAsBoolean()) {
        out.println(" failed");
        throw new StackException(what + " exited during start-up; " + why.get());
      }
      if (now - start > timeout.toNanos()) {
        out.println(" timed out");
        throw new StackException(
            what + " not ready after " + timeout.toSeconds() + " s; " + why.get());
      }
      if (now >= nextDot) {
        out.print('.');
        out.flush();
        nextDot += 1_000_000_000L;
      }
      try {
        Thread.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StackException("interrupted while waiting for " + what, e);
      }
    }
    out.printf(" ready (%.1f s)%n", (System.nanoTime() - start) / 1e9);
    out.flush();
  }
}
