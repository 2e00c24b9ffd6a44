package io.alfer.select.error;

/**
 * The JSON body of every error answer.
 *
 * @param error stable machine-readable reason, e.g. {@code not_an_image}
 * @param message what was wrong, for people
 */
public record ErrorBody(String error, String message) {}
