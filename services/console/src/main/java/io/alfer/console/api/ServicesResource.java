package io.alfer.console.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.alfer.console.upstream.Relay;
import io.alfer.console.upstream.Service;
import io.alfer.console.upstream.Upstream;
import io.alfer.kit.error.ServiceException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The other services' views and commands as the pages use them, under {@code /api}: each request is
 * the service's own REST call, answered with the service's own status and body (a refusal keeps its
 * reason). Nothing here decides anything a service decides.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ServicesResource {
  /** What an id in a path may be: the services' own id alphabet. */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

  private final Upstream upstream;
  private final Evaluations evaluations;
  private final ObjectMapper json;

  public ServicesResource(Upstream upstream, Evaluations evaluations, ObjectMapper json) {
    this.upstream = upstream;
    this.evaluations = evaluations;
    this.json = json;
  }

  /** Every campaign (select's {@code GET /campaigns}), newest first. */
  @GET
  @Path("/campaigns")
  public Response campaigns() {
    return Relay.of(upstream.get(Service.SELECT, "campaigns", null));
  }

  /**
   * One campaign with its rounds, each round with the confusion matrix of its classifier when the
   * trainer stored one ({@link Evaluations}).
   */
  @GET
  @Path("/campaigns/{id}")
  public Response campaign(@PathParam("id") String id) {
    Upstream.Answer answer = upstream.get(Service.SELECT, "campaigns/" + id(id), null);
    if (!answer.ok()) {
      return Relay.of(answer);
    }
    try {
      return Response.ok(
              evaluations.addTo(json.readTree(answer.body())), MediaType.APPLICATION_JSON)
          .build();
    } catch (java.io.IOException e) {
      throw new ServiceException(502, "service_error", "select answered with no JSON");
    }
  }

  /**
   * Creates a campaign: the body goes to select's {@code POST /campaigns} unchanged, so the form is
   * checked exactly as the REST API checks a request, and a refusal comes back with its reason.
   */
  @POST
  @Path("/campaigns")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(byte[] body) {
    return Relay.of(
        upstream.post(Service.SELECT, "campaigns", MediaType.APPLICATION_JSON, body, null));
  }

  /** Pauses, resumes or cancels a campaign. */
  @POST
  @Path("/campaigns/{id}/{action:pause|resume|cancel}")
  public Response transition(@PathParam("id") String id, @PathParam("action") String action) {
    return Relay.of(
        upstream.post(
            Service.SELECT, "campaigns/" + id(id) + "/" + action, null, new byte[0], null));
  }

  /** Every dataset (ingest's {@code GET /datasets}). */
  @GET
  @Path("/datasets")
  public Response datasets() {
    return Relay.of(upstream.get(Service.INGEST, "datasets", null));
  }

  /** One dataset: counts per split and class. */
  @GET
  @Path("/datasets/{name}")
  public Response dataset(@PathParam("name") String name) {
    return Relay.of(upstream.get(Service.INGEST, "datasets/" + id(name), null));
  }

  /** Every training job (the trainer's {@code GET /jobs}), oldest first. */
  @GET
  @Path("/jobs")
  public Response jobs() {
    return Relay.of(upstream.get(Service.TRAINER, "jobs", null));
  }

  /** One training job with its history per epoch. */
  @GET
  @Path("/jobs/{id}")
  public Response job(@PathParam("id") String id) {
    return Relay.of(upstream.get(Service.TRAINER, "jobs/" + id(id), null));
  }

  /** Every vendor's counts (label's {@code GET /vendors}). */
  @GET
  @Path("/vendors")
  public Response vendors() {
    return Relay.of(upstream.get(Service.LABEL, "vendors", null));
  }

  /**
   * The caller's open tasks, through label's vendor API with the caller's own {@code Authorization:
   * Bearer <API key>}: the console adds no right of its own.
   */
  @GET
  @Path("/vendor/tasks")
  public Response openTasks(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    return Relay.of(upstream.get(Service.LABEL, "vendor/tasks", authorization));
  }

  /** One of the caller's tasks, open or not. */
  @GET
  @Path("/vendor/tasks/{taskId}")
  public Response task(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("taskId") String taskId) {
    return Relay.of(upstream.get(Service.LABEL, "vendor/tasks/" + id(taskId), authorization));
  }

  /** Answers one of the caller's tasks (label's checks, label's refusals). */
  @POST
  @Path("/vendor/tasks/{taskId}/result")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response answer(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("taskId") String taskId,
      byte[] body) {
    return Relay.of(
        upstream.post(
            Service.LABEL,
            "vendor/tasks/" + id(taskId) + "/result",
            MediaType.APPLICATION_JSON,
            body,
            authorization));
  }

  /** A campaign's labels from label's export: {@code format=csv} or {@code label-studio}. */
  @GET
  @Path("/campaigns/{id}/labels")
  public Response labels(@PathParam("id") String id, @QueryParam("format") String format) {
    String f = format == null ? "csv" : format;
    Upstream.Answer answer =
        upstream.get(
            Service.LABEL,
            "campaigns/"
                + id(id)
                + "/labels?format="
                + URLEncoder.encode(f, StandardCharsets.UTF_8),
            null);
    Response.ResponseBuilder out = Relay.builder(answer);
    if (answer.ok()) {
      String file = id + (f.equals("csv") ? "-labels.csv" : "-label-studio.json");
      out.header("Content-Disposition", "attachment; filename=\"" + file + "\"");
    }
    return out.build();
  }

  /** An id for a path of another service, refused unless it is of the services' alphabet. */
  static String id(String value) {
    if (value == null || !ID.matcher(value).matches()) {
      throw ServiceException.badRequest(
          "invalid_id", "an id is 1-200 letters, digits, '.', '_' or '-', not " + value);
    }
    return value;
  }
}
