package io.alfer.trainer.job;

import io.alfer.core.api.TrainingJobRequest;
import io.alfer.kit.error.ServiceException;
import io.alfer.proto.v1.TrainingRequest;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * Jobs over HTTP. A job is asked for with a {@link TrainingJobRequest} (the same job as a {@code
 * TrainingRequest} on {@code alfer.training.requests}, in the services' one REST style: a record
 * read by Jackson, unknown fields refused); without a {@code jobId} one is made up.
 */
@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class JobResource {
  private final JobService jobs;

  public JobResource(JobService jobs) {
    this.jobs = jobs;
  }

  /** Starts a job: 202 when queued, 200 when this job id was already accepted. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response start(TrainingJobRequest body) {
    if (body == null) {
      throw ServiceException.badRequest("invalid_json", "the body is empty; expected a job");
    }
    TrainingRequest.Builder request;
    try {
      request = body.toMessage().toBuilder();
    } catch (IllegalArgumentException e) {
      throw ServiceException.badRequest("invalid_job", e.getMessage());
    }
    if (request.getJobId().isEmpty()) {
      request.setJobId("job-" + UUID.randomUUID());
    }
    JobExecutor.Submission submission = jobs.submit(request.build());
    JobView job = submission.job();
    return Response.status(submission.created() ? 202 : 200)
        .location(URI.create("/jobs/" + job.jobId()))
        .entity(job)
        .build();
  }

  /** Every job, oldest first. */
  @GET
  public List<JobView> list() {
    return jobs.list();
  }

  /** One job with its progress. */
  @GET
  @Path("/{jobId}")
  public JobView get(@PathParam("jobId") String jobId) {
    return jobs.find(jobId)
        .orElseThrow(() -> ServiceException.notFound("unknown_job", "no job " + jobId));
  }

  /** Cancels a queued or running job (409 when it has already ended). */
  @POST
  @Path("/{jobId}/cancel")
  public JobView cancel(@PathParam("jobId") String jobId) {
    return jobs.cancel(jobId);
  }
}
