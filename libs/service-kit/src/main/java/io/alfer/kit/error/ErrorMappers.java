package io.alfer.kit.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.alfer.core.storage.StorageException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every service's failures as HTTP answers with an {@link ErrorBody}, in one place: refusals with
 * their own status and reason, object storage down as 503 {@code storage_unavailable}, JSON the
 * body reader could not read as 400 {@code unknown_field} / {@code invalid_json}, and the
 * framework's own answers (404, 405, 413, 415, …) with a reason instead of an HTML page. A 401
 * carries {@code WWW-Authenticate: Bearer}.
 */
public class ErrorMappers {
  private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

  @ServerExceptionMapper
  public Response refused(ServiceException e) {
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
    // an outage, not a bug of the service: one line with what failed, no stack trace
    LOG.errorf(
        "object storage failed: %s%s",
        e.getMessage(), e.getCause() == null ? "" : " (" + e.getCause() + ")");
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
    return json(status, new ErrorBody(reason(status), e.getMessage()));
  }

  /** The reason of a framework answer with {@code status}. */
  static String reason(int status) {
    return switch (status) {
      case 401 -> "unauthorized";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 406 -> "not_acceptable";
      case 413 -> "too_large";
      case 415 -> "unsupported_media_type";
      default -> "http_" + status;
    };
  }

  static Response json(int status, ErrorBody body) {
    Response.ResponseBuilder answer =
        Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body);
    if (status == 401) {
      answer.header("WWW-Authenticate", "Bearer");
    }
    return answer.build();
  }
}
