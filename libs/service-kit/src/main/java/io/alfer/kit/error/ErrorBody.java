package io.alfer.kit.error;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON body of every error answer of every service.
 *
 * @param error stable machine-readable reason, e.g. {@code not_an_image}
 * @param message what was wrong, for people
 * @param details what a client needs to act on the refusal, where there is more to say than the
 *     message (e.g. every refused row of an import); absent from the JSON when null
 */
public record ErrorBody(
    String error, String message, @JsonInclude(JsonInclude.Include.NON_NULL) Object details) {

  /** A body with a reason and a message only. */
  public ErrorBody(String error, String message) {
    this(error, message, null);
  }
}
