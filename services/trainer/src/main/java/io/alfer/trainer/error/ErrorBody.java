package io.alfer.trainer.error;

/**
 * The JSON body of every error answer.
 *
 * @param error stable machine-readable reason, e.g. {@code unknown_dataset}
 * @param message what was wrong, for people
 */
public record ErrorBody(String error, String message) {}
