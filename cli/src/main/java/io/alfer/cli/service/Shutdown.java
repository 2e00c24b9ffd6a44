package io.alfer.cli.service;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a command started, stopped in reverse order exactly once — at the end of the command or from
 * a shutdown hook on Ctrl-C, whichever comes first.
 */
public final class Shutdown {
  private final Deque<Step> steps = new ArrayDeque<>();
  private final PrintWriter out;

  private record Step(String name, Runnable action) {}

  public Shutdown(PrintWriter out) {
    this.out = out;
  }

  /** Registers something to stop. */
  public synchronized void add(String name, Runnable action) {
    steps.push(new Step(name, action));
  }

  /** Stops everything registered, newest first; failures are reported and the rest goes on. */
  public synchronized void run() {
    while (!steps.isEmpty()) {
      Step step = steps.pop();
      try {
        out.println("stopping " + step.name());
        out.flush();
        step.action().run();
      } catch (RuntimeException e) {
        out.println("could not stop " + step.name() + ": " + e.getMessage());
        out.flush();
      }
    }
  }
}
