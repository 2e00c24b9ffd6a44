package io.alfer.select.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.alfer.core.storage.StorageException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns typed failures into HTTP answers {@code {"error", "message"}}, in one place. */
public class ErrorMappers {
  private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

  @ServerExceptionMapper
  public Response refused(SelectException e) {
    return json(e.status(), new ErrorBody(e.reason(), e.getMessage()));
  }

  @ServerExceptionMapper
  public Response unknownField(UnrecognizedPropertyException e) {
    return json(
        400,
        new ErrorBody(
            "unknown_field",
            "unknown field '" + e.getPropertyName() + "'; known: " + e.getKnownPropertyIds()));
  }

  @ServerExceptionMapper
  public Response mismatch(MismatchedInputException e) {
    return json(400, new ErrorBody("invalid_json", e.getOriginalMessage()));
  }

  @ServerExceptionMapper
  public Response badJson(JsonProcessingException e) {
    return json(400, new ErrorBody("invalid_json", e.getOriginalMessage()));
  }

  @ServerExceptionMapper
  public Response storage(StorageException e) {
    LOG.error("object storage failed", e);
    return json(503, new ErrorBody("storage_unavailable", e.getMessage()));
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    Throwable cause = e.getCause();
    if (status == 400 && cause instanceof UnrecognizedPropertyException u) {
      return unknownField(u);
    }
    if (status == 400 && cause instanceof JsonProcessingException j) {
      return badJson(j);
    }
    String reason =
        switch (status) {
          case 404 -> "not_found";
          case 405 -> "method_not_allowed";
          case 415 -> "unsupported_media_type";
          default -> "http_" + status;
        };
    return json(status, new ErrorBody(reason, e.getMessage()));
  }

  private static Response json(int status, ErrorBody body) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
  }
}
