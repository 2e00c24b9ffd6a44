package io.alfer.embed.model;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The models this service knows, and one image's outputs on demand. */
@Path("/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {
  private final EmbeddingService service;

  public ModelResource(EmbeddingService service) {
    this.service = service;
  }

  @GET
  @Operation(summary = "Every model announced on alfer.models, newest first, with its state")
  public List<ModelView> models(@QueryParam("dataset") String dataset) {
    return service.models(dataset);
  }

  @GET
  @Path("/{modelId}")
  @Operation(summary = "One model")
  public ModelView model(@PathParam("modelId") String modelId) {
    return service.model(modelId);
  }

  @POST
  @Path("/{modelId}/embeddings")
  @Consumes(MediaType.WILDCARD)
  @Operation(
      summary =
          "Embedding and class probabilities of one posted image (PNG, JPEG, BMP, GIF),"
              + " normalised as ingest does")
  public ImageEmbedding embed(@PathParam("modelId") String modelId, byte[] image) {
    return service.embed(modelId, image);
  }
}
