package io.alfer.console.download;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alfer.console.upstream.Relay;
import io.alfer.console.upstream.Service;
import io.alfer.console.upstream.Upstream;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageLayout;
import io.alfer.kit.error.ServiceException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A campaign's products: its labelled set as an image-folder archive (label's CSV export, the
 * images from object storage) and its final model's ONNX file (the last evaluated round's
 * classifier, {@code models/<model id>/classifier.onnx}).
 */
@Path("/api")
@Blocking
public class DownloadResource {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

  /** The classifier's ONNX file under a model's prefix (the trainer's {@code ModelStore}). */
  static final String CLASSIFIER_ONNX = "classifier.onnx";

  private final Upstream upstream;
  private final ObjectStore store;
  private final ObjectMapper json;

  public DownloadResource(Upstream upstream, ObjectStore store, ObjectMapper json) {
    this.upstream = upstream;
    this.store = store;
    this.json = json;
  }

  /** {@code <campaign>-labelled.zip}: {@code <campaign>/train/<class>/<image>.png} and the CSV. */
  @GET
  @Path("/campaigns/{id}/labelled-set.zip")
  public Response labelledSet(@PathParam("id") String id) {
    check(id);
    Upstream.Answer answer =
        upstream.get(Service.LABEL, "campaigns/" + id + "/labels?format=csv", null);
    if (!answer.ok()) {
      return Relay.of(answer);
    }
    String csv = answer.text();
    List<LabelledSet.Row> rows = LabelledSet.rows(csv);
    StreamingOutput body =
        out ->
            LabelledSet.write(
                id,
                csv,
                rows,
                row -> store.get(StorageLayout.canonicalImage(row.dataset(), row.imageId())),
                out);
    return Response.ok(body, "application/zip")
        .header("Content-Disposition", "attachment; filename=\"" + id + "-labelled.zip\"")
        .build();
  }

  /** The final model: the ONNX file of the last round that has a classifier. */
  @GET
  @Path("/campaigns/{id}/model.onnx")
  public Response model(@PathParam("id") String id) {
    check(id);
    Upstream.Answer answer = upstream.get(Service.SELECT, "campaigns/" + id, null);
    if (!answer.ok()) {
      return Relay.of(answer);
    }
    JsonNode campaign;
    try {
      campaign = json.readTree(answer.body());
    } catch (java.io.IOException e) {
      throw new ServiceException(502, "service_error", "select answered with no JSON");
    }
    String modelId = finalModel(campaign);
    if (modelId == null) {
      throw ServiceException.notFound(
          "no_model", "campaign " + id + " has no evaluated round yet, so no model");
    }
    byte[] onnx =
        store
            .find(StorageLayout.modelPrefix(modelId) + CLASSIFIER_ONNX)
            .orElseThrow(
                () ->
                    ServiceException.notFound(
                        "no_model", "model " + modelId + " has no " + CLASSIFIER_ONNX));
    return Response.ok(onnx, "application/octet-stream")
        .header("Content-Disposition", "attachment; filename=\"" + modelId + ".onnx\"")
        .build();
  }

  /** The model id of the campaign's last round that has one, or null. */
  static String finalModel(JsonNode campaign) {
    String model = null;
    for (JsonNode round : campaign.path("rounds")) {
      String m = round.path("modelId").asText("");
      if (!m.isEmpty()
          && !round.path("testAccuracy").isMissingNode()
          && !round.path("testAccuracy").isNull()) {
        model = m;
      }
    }
    return model;
  }

  private static void check(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw ServiceException.badRequest("invalid_id", "not a campaign id: " + id);
    }
  }
}
