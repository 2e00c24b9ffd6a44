package io.alfer.ingest.dataset;

import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Datasets: define one, list them, summarise one. */
@Path("/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DatasetResource {
  private final DatasetService datasets;

  public DatasetResource(DatasetService datasets) {
    this.datasets = datasets;
  }

  /**
   * What a dataset is defined with.
   *
   * @param classes class names in label order; left out, they come from the dataset's first import
   * @param size canonical square side in pixels (default {@code alfer.ingest.default-size}, 48)
   */
  public record DefineRequest(List<String> classes, Integer size) {}

  /**
   * Defines a dataset (see {@link DatasetService#define}): 201 when created (defined, or pending
   * its first import when no classes were given), 200 when it exists with what was asked.
   */
  @PUT
  @Path("/{dataset}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response define(@PathParam("dataset") String name, DefineRequest request) {
    DatasetService.Defined defined =
        datasets.define(
            name,
            request == null ? null : request.classes(),
            request == null ? null : request.size());
    return Response.status(defined.created() ? 201 : 200).entity(defined.summary()).build();
  }

  /** Every dataset with its counts, pending ones included. */
  @GET
  public List<DatasetSummary> list() {
    return datasets.summaries();
  }

  /** Counts per split and class, canonical size and taxonomy of one dataset. */
  @GET
  @Path("/{dataset}")
  public DatasetSummary summary(@PathParam("dataset") String name) {
    return datasets.summary(name);
  }
}
