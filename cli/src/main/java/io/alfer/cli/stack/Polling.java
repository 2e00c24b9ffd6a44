package io.alfer.cli.stack;

import java.time.Duration;

/** The pause between two looks at something the command line waits for. */
public final class Polling {
  private Polling() {}

  /**
   * Sleeps for {@code d}.
   *
   * @throws StackException when interrupted (Ctrl-C), with the thread's interrupt flag set again
   */
  public static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted", e);
    }
  }
}
