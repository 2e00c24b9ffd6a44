package io.alfer.ingest.dataset;

import io.alfer.datasets.ClassTaxonomy;
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
  private final Catalog catalog;

  public DatasetResource(DatasetService datasets, Catalog catalog) {
    this.datasets = datasets;
    this.catalog = catalog;
  }

  /**
   * What a dataset is created with.
   *
   * @param classes class names in label order (default: FER's seven)
   * @param size canonical square side in pixels (default 48)
   */
  public record DefineRequest(List<String> classes, Integer size) {}

  /** Defines a dataset; 201 when created, 200 when it already exists with the same shape. */
  @PUT
  @Path("/{dataset}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response define(@PathParam("dataset") String name, DefineRequest request) {
    boolean existed = catalog.definition(name).isPresent();
    DatasetDefinition draft =
        datasets.existingOrDraft(
            name,
            "defined",
            request == null || request.classes() == null
                ? ClassTaxonomy.FER7.classes()
                : request.classes(),
            request == null || request.size() == null ? 0 : request.size());
    DatasetDefinition stored = datasets.store(draft);
    return Response.status(existed ? 200 : 201).entity(catalog.summary(stored)).build();
  }

  /** Every dataset with its counts. */
  @GET
  public List<DatasetSummary> list() {
    return catalog.definitions().stream().map(catalog::summary).toList();
  }

  /** Counts per split and class, canonical size and taxonomy of one dataset. */
  @GET
  @Path("/{dataset}")
  public DatasetSummary summary(@PathParam("dataset") String name) {
    return catalog.summary(datasets.require(name));
  }
}
