package io.alfer.console.gallery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageLayout;
import io.alfer.kit.error.ServiceException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.regex.Pattern;

/** Images for the pages: a dataset's class samples, and any stored image's canonical PNG. */
@Path("/api")
@Blocking
public class ImagesResource {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

  private final Samples samples;
  private final ObjectStore store;
  private final ObjectMapper json;

  public ImagesResource(Samples samples, ObjectStore store, ObjectMapper json) {
    this.samples = samples;
    this.store = store;
    this.json = json;
  }

  /**
   * {@code {"dataset", "caughtUp", "classes": {"<index>": [image ids]}}}: a few labelled images of
   * every class seen.
   */
  @GET
  @Path("/datasets/{name}/samples")
  @Produces(MediaType.APPLICATION_JSON)
  public ObjectNode samples(@PathParam("name") String name) {
    ObjectNode out = json.createObjectNode();
    out.put("dataset", name);
    out.put("caughtUp", samples.caughtUp());
    ObjectNode classes = out.putObject("classes");
    samples
        .of(name)
        .forEach(
            (k, ids) -> {
              ArrayNode list = classes.putArray(k.toString());
              ids.forEach(list::add);
            });
    return out;
  }

  /** An image's canonical PNG ({@code images/<dataset>/<id>.png}); 404 when there is none. */
  @GET
  @Path("/images/{dataset}/{imageId}")
  @Produces("image/png")
  public Response image(
      @PathParam("dataset") String dataset, @PathParam("imageId") String imageId) {
    if (!ID.matcher(dataset).matches() || !ID.matcher(imageId).matches()) {
      throw ServiceException.badRequest("invalid_id", "not a dataset and image id");
    }
    byte[] png =
        store
            .find(StorageLayout.canonicalImage(dataset, imageId))
            .orElseThrow(
                () ->
                    ServiceException.notFound(
                        "unknown_image", "no image " + imageId + " in dataset " + dataset));
    // content-derived ids: an image never changes
    return Response.ok(png, "image/png")
        .header("Cache-Control", "public, max-age=86400, immutable")
        .build();
  }
}
