package io.alfer.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded polling: check a condition every few milliseconds until it holds or time runs out. */
final class Polling {
  private static final long INTERVAL_MILLIS = 100;

  private Polling() {}

  /**
   * Returns once {@code condition} holds; throws {@link IllegalStateException} naming {@code what}
   * and {@code detail} when it does not hold within {@code timeout} or when {@code stop} holds
   * first (e.g. the awaited process died).
   */
  static void until(
      String what,
      Duration timeout,
      BooleanSupplier condition,
      BooleanSupplier stop,
      Supplier<String> detail) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (stop.getAsBoolean()) {
        throw new IllegalStateException(what + " failed: " + detail.get());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + " timed out after " + timeout + ": " + detail.get());
      }
      try {
        Thread.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(what + " interrupted", e);
      }
    }
  }
}
