package io.alfer.select.loop;

/** What trying a step gave: go on, wait for something, or fail the campaign. */
sealed interface Outcome<T> {
  /** The step can go on with {@code value}. */
  record Done<T>(T value) implements Outcome<T> {}

  /** Something is missing or a dependency failed for now; retried later. */
  record Wait<T>(String message) implements Outcome<T> {}

  /** The campaign cannot go on: a stable reason and what went wrong. */
  record Fail<T>(String reason, String message) implements Outcome<T> {}

  static <T> Outcome<T> done(T value) {
    return new Done<>(value);
  }

  static <T> Outcome<T> waiting(String message) {
    return new Wait<>(message);
  }

  static <T> Outcome<T> fail(String reason, String message) {
    return new Fail<>(reason, message);
  }
}
