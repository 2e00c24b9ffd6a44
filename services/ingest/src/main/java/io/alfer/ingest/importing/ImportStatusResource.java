package io.alfer.ingest.importing;

import io.alfer.kit.error.ServiceException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Comparator;
import java.util.List;

/** Progress of bulk imports. */
@Path("/imports")
@Produces(MediaType.APPLICATION_JSON)
public class ImportStatusResource {
  private final ImportService imports;

  public ImportStatusResource(ImportService imports) {
    this.imports = imports;
  }

  /** Progress of one import: done/total, accepted, duplicates, refusals with reasons. */
  @GET
  @Path("/{id}")
  public ImportView get(@PathParam("id") String id) {
    return imports
        .find(id)
        .orElseThrow(() -> ServiceException.notFound("unknown_import", "no import " + id))
        .view();
  }

  /** Every import since the service started, newest first. */
  @GET
  public List<ImportView> list() {
    return imports.all().stream()
        .map(ImportJob::view)
        .sorted(Comparator.comparing(ImportView::startedAt).reversed())
        .toList();
  }
}
