package io.alfer.kit.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.core.storage.StorageException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
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

  private static ErrorBody body(Response r) {
    return (ErrorBody) r.getEntity();
  }
}
