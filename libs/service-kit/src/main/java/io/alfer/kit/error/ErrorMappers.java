package io.alfer.kit.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.alfer.core.storage.StorageException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.core.multipart.MultipartParser;

/**
 * Every service's failures as HTTP answers with an {@link ErrorBody}, in one place: refusals with
 * their own status and reason, object storage down as 503 {@code storage_unavailable}, JSON the
 * body reader could not read as 400 {@code unknown_field} / {@code invalid_json}, a multipart body
 * the form parser could not read as 400 {@code invalid_multipart}, the framework's own answers
 * (404, 405, 413, 415, …) with a reason instead of an HTML page, and anything unforeseen as 500
 * {@code internal_error} with an error id, logged. A 401 carries {@code WWW-Authenticate: Bearer}.
 * A request whose Content-Type cannot be read never gets this far: {@link ContentTypeCheck}.
 */
public class ErrorMappers {
  private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

  /** The reason of a multipart body that cannot be read. */
  static final String INVALID_MULTIPART = "invalid_multipart";

  private static final String FORM_PARSER_PACKAGE =
      "org.jboss.resteasy.reactive.server.core.multipart.";
  private static final String FORM_BODY_HANDLER =
      "org.jboss.resteasy.reactive.server.handlers.FormBodyHandler";

  @ServerExceptionMapper
  public Response refused(ServiceException e) {
    return refusal(e);
  }

  /** The answer to a refusal: its status, and its reason, message and details as the body. */
  static Response refusal(ServiceException e) {
    return json(e.status(), new ErrorBody(e.reason(), e.getMessage(), e.details()));
  }

  /** A multipart body the framework's form parser could not read (bad part headers, encoding). */
  @ServerExceptionMapper
  public Response malformedMultipart(MultipartParser.MalformedMessageException e) {
    return json(400, new ErrorBody(INVALID_MULTIPART, "the multipart body is malformed"));
  }

  /**
   * A body that could not be read. The form parser throws this for a multipart body that ends
   * before its closing boundary (or that never had one): a client's fault, 400 {@code
   * invalid_multipart}. Anywhere else it is the service's own failure (see {@link #unexpected}).
   */
  @ServerExceptionMapper
  public Response unreadable(IOException e) {
    if (fromFormParser(e)) {
      return json(
          400,
          new ErrorBody(
              INVALID_MULTIPART,
              "the multipart body cannot be read ("
                  + e.getMessage()
                  + "): is it a multipart form whose parts end with the closing boundary?"));
    }
    return internal(e);
  }

  /**
   * Whatever else escaped a resource. Thrown inside the framework's form parser it is a multipart
   * body the parser cannot read (base64 that is not, a part's type or charset it cannot parse): 400
   * {@code invalid_multipart}. A {@link CompletionException} around a refusal or a storage failure
   * is answered as what it wraps. Anything else is the service's own failure: 500 {@code
   * internal_error}, logged under an id that the answer names.
   */
  @ServerExceptionMapper
  public Response unexpected(RuntimeException e) {
    if (fromFormParser(e)) {
      return json(
          400,
          new ErrorBody(
              INVALID_MULTIPART,
              "the multipart body cannot be read: "
                  + what(e.getCause() != null ? e.getCause() : e)));
    }
    if (e instanceof CompletionException && e.getCause() instanceof ServiceException s) {
      return refusal(s);
    }
    if (e instanceof CompletionException && e.getCause() instanceof StorageException s) {
      return storage(s);
    }
    return internal(e);
  }

  /** What went wrong, for people: the message, or the exception's kind when it has none. */
  private static String what(Throwable t) {
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  private static Response internal(Exception e) {
    String id = UUID.randomUUID().toString();
    LOG.errorf(e, "request failed, error id %s", id);
    return json(
        500,
        new ErrorBody(
            "internal_error", "the service failed (error id " + id + "; its log says why)"));
  }

  /** Whether the framework's form parser threw {@code e} (or the exception it wraps). */
  static boolean fromFormParser(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      for (StackTraceElement frame : t.getStackTrace()) {
        if (frame.getClassName().startsWith(FORM_PARSER_PACKAGE)
            || frame.getClassName().equals(FORM_BODY_HANDLER)) {
          return true;
        }
      }
    }
    return false;
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
