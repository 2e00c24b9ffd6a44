package io.alfer.kit.error;

/**
 * The JSON body of every error answer of every service.
 *
 * @param error stable machine-readable reason, e.g. {@code not_an_image}
 * @param message what was wrong, for people
 */
public record ErrorBody(String error, String message) {}
