package io.alfer.label.result;

import io.alfer.kit.error.ServiceException;
import io.alfer.label.config.LabelConfig;
import io.alfer.label.contract.ContractJson;
import io.alfer.proto.v1.LabelResult;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Collectors;

/**
 * Vendor API ({@code Authorization: Bearer <api key>}): the vendor's open tasks, one task, and
 * answering a task. Tasks and results have the same JSON form as on the topics.
 */
@Path("/vendor/tasks")
@Produces(MediaType.APPLICATION_JSON)
public class VendorTaskResource {
  private final VendorSubmissions submissions;
  private final LabelConfig config;

  public VendorTaskResource(VendorSubmissions submissions, LabelConfig config) {
    this.submissions = submissions;
    this.config = config;
  }

  /** The caller's open tasks (JSON array of tasks). */
  @GET
  public String open(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    String vendor = submissions.authenticate(bearer(authorization));
    return submissions.openTasks(vendor).stream()
        .map(ContractJson::task)
        .collect(Collectors.joining(",", "[", "]"));
  }

  /** One of the caller's tasks. */
  @GET
  @Path("/{taskId}")
  public String task(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("taskId") String taskId) {
    String vendor = submissions.authenticate(bearer(authorization));
    return ContractJson.task(submissions.task(vendor, taskId));
  }

  /**
   * Answers one of the caller's tasks; 202 with the result as submitted. The body must say it is
   * JSON (a body without a Content-Type is refused with 415 like one of another type) and is read
   * up to {@code alfer.label.max-result-bytes} (413 beyond).
   */
  @POST
  @Path("/{taskId}/result")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response answer(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @PathParam("taskId") String taskId,
      InputStream body) {
    if (contentType == null || contentType.isBlank()) {
      // JAX-RS matches a request without a Content-Type to any @Consumes; the contract does not.
      throw new ServiceException(
          415,
          "unsupported_media_type",
          "a result is posted as "
              + MediaType.APPLICATION_JSON
              + "; the request has no Content-Type");
    }
    String vendor = submissions.authenticate(bearer(authorization));
    LabelResult result = submissions.submit(vendor, taskId, read(body));
    return Response.accepted(ContractJson.result(result)).type(MediaType.APPLICATION_JSON).build();
  }

  /** The body, refused (413) when longer than the limit. */
  private byte[] read(InputStream body) {
    int limit = config.maxResultBytes();
    try {
      byte[] bytes = body.readNBytes(limit + 1);
      if (bytes.length > limit) {
        throw ServiceException.tooLarge(
            "a result is at most " + limit + " bytes; this one is longer");
      }
      return bytes;
    } catch (IOException e) {
      throw ServiceException.badRequest(
          "malformed", "the body could not be read: " + e.getMessage());
    }
  }

  private static String bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return authorization.substring(7).trim();
  }
}
