package io.alfer.label.error;

import io.alfer.core.storage.StorageException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns typed failures into HTTP answers, in one place. */
public class ErrorMappers {
  private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

  @ServerExceptionMapper
  public Response refused(LabelException e) {
    Response.ResponseBuilder b =
        Response.status(e.status())
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(new ErrorBody(e.reason(), e.getMessage()));
    if (e.status() == 401) {
      b.header("WWW-Authenticate", "Bearer");
    }
    return b.build();
  }

  @ServerExceptionMapper
  public Response storage(StorageException e) {
    LOG.error("object storage failed", e);
    return json(503, new ErrorBody("storage_unavailable", e.getMessage()));
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    String reason = status == 415 ? "unsupported_media_type" : "http_" + status;
    return json(status, new ErrorBody(reason, e.getMessage()));
  }

  private static Response json(int status, ErrorBody body) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
  }
}
