package io.alfer.label.export;

import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageLayout;
import io.alfer.kit.error.ServiceException;
import io.alfer.label.config.LabelConfig;
import io.alfer.label.state.LabelState;
import io.alfer.proto.v1.LabelAssigned;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * A campaign's accepted labels: {@code ?format=csv} (default) or {@code ?format=label-studio}
 * (Label Studio JSON export, image URLs pre-signed for {@code alfer.label.url-ttl}).
 */
@Path("/campaigns/{campaignId}/labels")
public class ExportResource {
  private final LabelState state;
  private final ObjectStore store;
  private final LabelConfig config;

  public ExportResource(LabelState state, ObjectStore store, LabelConfig config) {
    this.state = state;
    this.store = store;
    this.config = config;
  }

  /** The labels in the requested format. */
  @GET
  public Response labels(
      @PathParam("campaignId") String campaignId, @QueryParam("format") String format) {
    if (!state.ready()) {
      throw ServiceException.unavailable(
          "not_ready", "the task state is still being replayed; retry shortly");
    }
    List<LabelAssigned> labels = state.ledger().labels(campaignId);
    String f = format == null ? "csv" : format;
    return switch (f) {
      case "csv" ->
          Response.ok(LabelExport.csv(labels), "text/csv; charset=utf-8")
              .header(
                  "Content-Disposition", "attachment; filename=\"" + campaignId + "-labels.csv\"")
              .build();
      case "label-studio" ->
          Response.ok(
                  LabelExport.labelStudio(
                      labels,
                      l ->
                          store.presignGet(
                              StorageLayout.canonicalImage(l.getDataset(), l.getImageId()),
                              config.urlTtl())),
                  MediaType.APPLICATION_JSON_TYPE)
              .build();
      default ->
          throw ServiceException.badRequest(
              "unknown_format", "format must be csv or label-studio, not " + f);
    };
  }
}
