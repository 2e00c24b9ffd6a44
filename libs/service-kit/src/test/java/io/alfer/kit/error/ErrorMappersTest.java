package io.alfer.kit.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.core.storage.StorageException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.jboss.resteasy.reactive.server.core.multipart.MultipartParser;
import org.junit.jupiter.api.Test;

class ErrorMappersTest {
  private final ErrorMappers mappers = new ErrorMappers();

  @Test
  void aRefusalAnswersWithItsOwnStatusAndReason() {
    Response r = mappers.refused(ServiceException.conflict("dataset_exists", "dataset x exists"));
    assertThat(r.getStatus()).isEqualTo(409);
    assertThat(r.getEntity()).isEqualTo(new ErrorBody("dataset_exists", "dataset x exists"));
    assertThat(r.getMediaType().toString()).isEqualTo("application/json");
  }

  @Test
  void theFrameworksAnswersGetAReasonNotAPage() {
    assertThat(body(mappers.web(new NotFoundException())).error()).isEqualTo("not_found");
    assertThat(body(mappers.web(new NotAllowedException("GET"))).error())
        .isEqualTo("method_not_allowed");
    assertThat(body(mappers.web(new NotSupportedException())).error())
        .isEqualTo("unsupported_media_type");
    assertThat(body(mappers.web(new WebApplicationException(413))).error()).isEqualTo("too_large");
    assertThat(body(mappers.web(new WebApplicationException(418))).error()).isEqualTo("http_418");
  }

  @Test
  void aRefusedCredentialSaysWhichSchemeToUse() {
    Response r = mappers.refused(ServiceException.unauthorized("no token"));
    assertThat(r.getStatus()).isEqualTo(401);
    assertThat(r.getHeaderString("WWW-Authenticate")).isEqualTo("Bearer");
    assertThat(
            mappers
                .refused(ServiceException.notFound("x", "y"))
                .getHeaderString("WWW-Authenticate"))
        .isNull();
  }

  @Test
  void storageDownIsAnUnavailableServiceNotAnInternalError() {
    Response r = mappers.storage(new StorageException("bucket alfer unreachable", null));
    assertThat(r.getStatus()).isEqualTo(503);
    assertThat(body(r)).isEqualTo(new ErrorBody("storage_unavailable", "bucket alfer unreachable"));
  }

  @Test
  void aRefusalNeedsAnErrorStatusAndAReason() {
    assertThatThrownBy(() -> new ServiceException(200, "ok", "fine"))
        .hasMessageContaining("4xx or 5xx");
    assertThatThrownBy(() -> new ServiceException(400, " ", "no reason"))
        .hasMessageContaining("reason");
  }

  @Test
  void aRefusalCarriesItsDetails() {
    Response r =
        mappers.refused(
            ServiceException.badRequest("nothing_imported", "all 2 rows refused")
                .withDetails(java.util.Map.of("refused", 2)));
    assertThat(r.getStatus()).isEqualTo(400);
    assertThat(body(r))
        .isEqualTo(
            new ErrorBody(
                "nothing_imported", "all 2 rows refused", java.util.Map.of("refused", 2)));
    assertThat(body(mappers.refused(ServiceException.badRequest("x", "y"))).details()).isNull();
  }

  @Test
  void aMultipartBodyTheFormParserCannotReadIsTheClientsFault() throws Exception {
    // What the form parser throws when the body ends before the closing boundary.
    IOException truncated = formParserFailure();
    Response r = mappers.unreadable(truncated);
    assertThat(r.getStatus()).isEqualTo(400);
    assertThat(body(r).error()).isEqualTo("invalid_multipart");
    assertThat(
            body(mappers.malformedMultipart(new MultipartParser.MalformedMessageException()))
                .error())
        .isEqualTo("invalid_multipart");
  }

  @Test
  void anyOtherIoFailureIsTheServicesOwnAnsweredAsJson() {
    Response r = mappers.unreadable(new IOException("disk full"));
    assertThat(r.getStatus()).isEqualTo(500);
    assertThat(body(r).error()).isEqualTo("internal_error");
    assertThat(r.getMediaType().toString()).isEqualTo("application/json");
  }

  @Test
  void whatTheFormParserCannotParseInsideAPartIsAnInvalidMultipartBody() {
    // e.g. base64 that is not, or a part's Content-Type of ';;;/='
    IllegalArgumentException e =
        new IllegalArgumentException("Last unit does not have enough bits");
    e.setStackTrace(formParserFailure().getStackTrace());
    Response r = mappers.unexpected(e);
    assertThat(r.getStatus()).isEqualTo(400);
    assertThat(body(r).error()).isEqualTo("invalid_multipart");
  }

  @Test
  void anUnforeseenFailureIsAnInternalErrorWithAnIdNotAStackTrace() {
    Response r = mappers.unexpected(new IllegalStateException("secret internals"));
    assertThat(r.getStatus()).isEqualTo(500);
    assertThat(body(r).error()).isEqualTo("internal_error");
    assertThat(body(r).message())
        .matches("the service failed \\(error id [0-9a-f-]{36}; its log says why\\)");
  }

  @Test
  void aRefusalInsideACompletionExceptionIsTheRefusal() {
    Response r =
        mappers.unexpected(
            new java.util.concurrent.CompletionException(
                new ServiceException(503, "broker_unavailable", "not announced")));
    assertThat(r.getStatus()).isEqualTo(503);
    assertThat(body(r).error()).isEqualTo("broker_unavailable");
    Response s =
        mappers.unexpected(
            new java.util.concurrent.CompletionException(new StorageException("down", null)));
    assertThat(s.getStatus()).isEqualTo(503);
    assertThat(body(s).error()).isEqualTo("storage_unavailable");
  }

  /** An IOException thrown from within the form parser's package, as the parser throws it. */
  private static IOException formParserFailure() {
    IOException e = new IOException("Connection terminated parsing multipart request");
    e.setStackTrace(
        new StackTraceElement[] {
          new StackTraceElement(
              "org.jboss.resteasy.reactive.server.core.multipart.MultiPartParserDefinition"
                  + "$MultiPartUploadHandler",
              "parseBlocking",
              "MultiPartParserDefinition.java",
              250),
          new StackTraceElement(
              "org.jboss.resteasy.reactive.server.handlers.FormBodyHandler",
              "handle",
              "FormBodyHandler.java",
              95)
        });
    return e;
  }

  private static ErrorBody body(Response r) {
    return (ErrorBody) r.getEntity();
  }
}
