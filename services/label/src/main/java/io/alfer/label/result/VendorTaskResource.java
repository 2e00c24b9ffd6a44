package io.alfer.label.result;

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
import java.util.stream.Collectors;

/**
 * Vendor API ({@code Authorization: Bearer <api key>}): the vendor's open tasks, one task, and
 * answering a task. Tasks and results have the same JSON form as on the topics.
 */
@Path("/vendor/tasks")
@Produces(MediaType.APPLICATION_JSON)
public class VendorTaskResource {
  private final VendorSubmissions submissions;

  public VendorTaskResource(VendorSubmissions submissions) {
    this.submissions = submissions;
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

  /** Answers one of the caller's tasks; 202 with the result as submitted. */
  @POST
  @Path("/{taskId}/result")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response answer(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("taskId") String taskId,
      String body) {
    String vendor = submissions.authenticate(bearer(authorization));
    LabelResult result = submissions.submit(vendor, taskId, body);
    return Response.accepted(ContractJson.result(result)).type(MediaType.APPLICATION_JSON).build();
  }

  private static String bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return authorization.substring(7).trim();
  }
}
