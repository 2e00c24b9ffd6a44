package io.alfer.testkit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Bounded polling with Awaitility, in the test kit's terms: the failures are {@link
 * IllegalStateException}s that say what timed out or failed and show the detail.
 */
final class Polling {
  private static final Duration INTERVAL = Duration.ofMillis(100);

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
    try {
      await(what)
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(INTERVAL)
          // an exception another thread of the tests leaves uncaught is not this wait's failure
          .dontCatchUncaughtExceptions()
          .until(
              () -> {
                if (condition.getAsBoolean()) {
                  return true;
                }
                if (stop.getAsBoolean()) {
                  throw new IllegalStateException(what + " failed: " + detail.get());
                }
                return false;
              });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          what + " timed out after " + timeout + ": " + detail.get(), e);
    }
  }
}
