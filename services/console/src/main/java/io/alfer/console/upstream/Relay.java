package io.alfer.console.upstream;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** A service's answer passed on to the browser as it came: status, type and body. */
public final class Relay {
  private Relay() {}

  /** The answer as a response of the console. */
  public static Response of(Upstream.Answer answer) {
    return builder(answer).build();
  }

  /** The answer as a response of the console, to add headers to. */
  public static Response.ResponseBuilder builder(Upstream.Answer answer) {
    return Response.status(answer.status())
        .entity(answer.body())
        .type(answer.contentType() == null ? MediaType.APPLICATION_JSON : answer.contentType());
  }
}
