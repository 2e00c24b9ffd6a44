package io.alfer.ingest.image;

import io.alfer.ingest.config.IngestConfig;
import io.alfer.ingest.dataset.DatasetDefinition;
import io.alfer.ingest.dataset.DatasetService;
import io.alfer.ingest.metrics.IngestMetrics;
import io.alfer.kit.error.ServiceException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** Single-image uploads: raw body or multipart form. */
@Path("/datasets/{dataset}/images")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ImageResource {
  private final DatasetService datasets;
  private final ImageService images;
  private final IngestMetrics metrics;
  private final IngestConfig config;

  public ImageResource(
      DatasetService datasets, ImageService images, IngestMetrics metrics, IngestConfig config) {
    this.datasets = datasets;
    this.images = images;
    this.metrics = metrics;
    this.config = config;
  }

  /** Uploads one image as the raw request body (PNG, JPEG, BMP or GIF). */
  @POST
  @Consumes({"image/*", MediaType.APPLICATION_OCTET_STREAM})
  public Response uploadRaw(
      @PathParam("dataset") String dataset,
      @QueryParam("split") String split,
      @QueryParam("label") String label,
      @QueryParam("source") String source,
      InputStream body) {
    return refusalsCounted(
        () -> {
          byte[] bytes = Bodies.readLimited(body, config.maxImageBytes());
          return ingest(dataset, bytes, split, label, source == null ? "upload" : source);
        });
  }

  /** Uploads one image as the {@code file} part of a multipart form. */
  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  public Response uploadMultipart(
      @PathParam("dataset") String dataset,
      @RestForm("file") FileUpload file,
      @RestForm("split") String split,
      @RestForm("label") String label) {
    return refusalsCounted(
        () -> {
          if (file == null) {
            throw ServiceException.badRequest("missing_file", "the form has no 'file' part");
          }
          if (file.size() > config.maxImageBytes()) {
            throw ServiceException.tooLarge(
                "image is larger than the limit of " + config.maxImageBytes() + " bytes");
          }
          byte[] bytes;
          try {
            bytes = Files.readAllBytes(file.uploadedFile());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return ingest(dataset, bytes, split, label, file.fileName());
        });
  }

  private Response ingest(
      String datasetName, byte[] bytes, String split, String label, String source) {
    DatasetDefinition dataset = datasets.forUpload(datasetName);
    int labelIndex = -1;
    if (label != null && !label.isBlank()) {
      labelIndex =
          dataset
              .labelOf(label)
              .orElseThrow(
                  () ->
                      ServiceException.badRequest(
                          "label_outside_taxonomy",
                          "label '"
                              + label
                              + "' is not in the taxonomy of '"
                              + datasetName
                              + "': "
                              + dataset.classes()));
    }
    var splitValue = Bodies.split(split);
    var image = images.normalize(dataset, bytes);
    // Only a valid image defines a new dataset: a refused upload changes nothing.
    DatasetDefinition stored = datasets.store(dataset);
    IngestOutcome outcome =
        images.ingestBlocking(stored, image, bytes, splitValue, labelIndex, source);
    return Response.status(outcome.created() ? 201 : 200).entity(outcome).build();
  }

  private Response refusalsCounted(java.util.function.Supplier<Response> action) {
    try {
      return action.get();
    } catch (ServiceException e) {
      metrics.refused(e.reason());
      throw e;
    }
  }
}
