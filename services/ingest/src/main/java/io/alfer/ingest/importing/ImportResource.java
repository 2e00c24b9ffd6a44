package io.alfer.ingest.importing;

import io.alfer.datasets.layout.Layout;
import io.alfer.ingest.config.IngestConfig;
import io.alfer.ingest.dataset.DatasetDefinition;
import io.alfer.ingest.dataset.DatasetService;
import io.alfer.ingest.image.Bodies;
import io.alfer.ingest.metrics.IngestMetrics;
import io.alfer.kit.error.ServiceException;
import io.alfer.proto.v1.Split;
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
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.OptionalInt;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Bulk imports of a dataset in a standard layout: an archive (zip, tar, tar.gz) or a FER2013 CSV,
 * as the raw body or the {@code file} part of a form. Parameters: {@code layout} ({@code auto} when
 * left out), {@code split} (of items whose layout gives none), {@code size} (the canonical size of
 * a dataset the import defines, or that the existing dataset must have), all in the query for a raw
 * body and form fields for a form (whose {@code size} may be in the query too); {@code wait} in the
 * query. A dataset need not be defined first: the import defines it with the data's classes.
 * Answers 202 with the import's progress view and its location, or the final view with {@code
 * wait=true}; an import that took nothing in is then a refusal, 400 {@code nothing_imported} with
 * the view (and its refusals) as details. A CSV's rows are named in refusals after the form's
 * {@code filename} ({@code faces.csv:17}), or {@code body:17} for a raw body; archive entries by
 * their path in the archive.
 */
@Path("/datasets/{dataset}/imports")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ImportResource {
  /** Longest a {@code wait=true} request is held. */
  private static final long WAIT_SECONDS = 3600;

  /** What a raw body is called in refusal sources. */
  static final String BODY_NAME = "body";

  /** What a form's file without a usable {@code filename} is called in refusal sources. */
  static final String UNNAMED_UPLOAD = "upload";

  /** Longest upload name kept. */
  private static final int MAX_NAME = 200;

  private final ImportService imports;
  private final IngestMetrics metrics;
  private final IngestConfig config;

  public ImportResource(ImportService imports, IngestMetrics metrics, IngestConfig config) {
    this.imports = imports;
    this.metrics = metrics;
    this.config = config;
  }

  /** Imports the request body. */
  @POST
  @Consumes(MediaType.WILDCARD)
  public Response importBody(
      @PathParam("dataset") String dataset,
      @QueryParam("layout") String layout,
      @QueryParam("split") String split,
      @QueryParam("size") String size,
      @QueryParam("wait") boolean wait,
      InputStream body)
      throws InterruptedException {
    java.nio.file.Path file;
    try {
      file = spool(body);
    } catch (ServiceException e) {
      metrics.refused(e.reason());
      throw e;
    }
    return start(dataset, file, BODY_NAME, layout, split, size, wait);
  }

  /** Imports the {@code file} part of a multipart form. */
  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  public Response importForm(
      @PathParam("dataset") String dataset,
      @RestForm("file") FileUpload file,
      @RestForm("layout") String layout,
      @RestForm("split") String split,
      @RestForm("size") String size,
      @QueryParam("size") String sizeQuery,
      @QueryParam("wait") boolean wait)
      throws InterruptedException {
    String chosenSize;
    try {
      chosenSize = oneSize(size, sizeQuery);
    } catch (ServiceException e) {
      metrics.refused(e.reason());
      throw e;
    }
    if (file == null) {
      metrics.refused("missing_file");
      throw ServiceException.badRequest("missing_file", "the form has no 'file' part");
    }
    if (file.size() > config.maxImportBytes()) {
      metrics.refused("too_large");
      throw ServiceException.tooLarge(
          "upload is larger than the limit of " + config.maxImportBytes() + " bytes");
    }
    java.nio.file.Path copy;
    try {
      copy = Files.createTempFile("alfer-import-", ".upload");
      Files.move(file.uploadedFile(), copy, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return start(dataset, copy, uploadName(file.fileName()), layout, split, chosenSize, wait);
  }

  /** A form's size: its {@code size} field or the query's, which must agree when both are given. */
  private static String oneSize(String form, String query) {
    boolean inForm = form != null && !form.isBlank();
    boolean inQuery = query != null && !query.isBlank();
    if (inForm && inQuery && !form.strip().equals(query.strip())) {
      throw ServiceException.badRequest(
          "bad_size",
          "the form says size " + form.strip() + " and the query size " + query.strip());
    }
    return inForm ? form : query;
  }

  /**
   * The {@code size} of an import: empty when not given, else a whole number of pixels in {@value
   * DatasetDefinition#MIN_SIZE}..{@value DatasetDefinition#MAX_SIZE}, or 400 {@code bad_size}.
   */
  static OptionalInt parseSize(String size) {
    if (size == null || size.isBlank()) {
      return OptionalInt.empty();
    }
    int value;
    try {
      value = Integer.parseInt(size.strip());
    } catch (NumberFormatException e) {
      throw ServiceException.badRequest(
          "bad_size",
          "size '"
              + size
              + "' is not a whole number of pixels (the side of the square images, "
              + DatasetDefinition.MIN_SIZE
              + ".."
              + DatasetDefinition.MAX_SIZE
              + ")");
    }
    DatasetService.checkSize(value);
    return OptionalInt.of(value);
  }

  /**
   * What an uploaded file is called in refusal sources: its {@code filename} without folders
   * (browsers may send a whole path) or control characters, or {@value #UNNAMED_UPLOAD}.
   */
  static String uploadName(String fileName) {
    if (fileName == null) {
      return UNNAMED_UPLOAD;
    }
    String base =
        fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
    base = base.replaceAll("\\p{Cntrl}", "").strip();
    if (base.length() > MAX_NAME) {
      base = base.substring(0, MAX_NAME);
    }
    return base.isEmpty() ? UNNAMED_UPLOAD : base;
  }

  private Response start(
      String dataset,
      java.nio.file.Path file,
      String uploadName,
      String layout,
      String split,
      String size,
      boolean wait)
      throws InterruptedException {
    ImportJob job;
    try {
      OptionalInt sizeValue = parseSize(size);
      Optional<Layout> chosen =
          layout == null || layout.isBlank() || layout.equals("auto")
              ? Optional.empty()
              : Optional.of(parseLayout(layout));
      Optional<Split> splitValue =
          split == null || split.isBlank() ? Optional.empty() : Optional.of(Bodies.split(split));
      job = imports.start(dataset, file, uploadName, chosen, splitValue, sizeValue);
    } catch (ServiceException e) {
      metrics.refused(e.reason());
      deleteQuietly(file);
      throw e;
    }
    if (!wait) {
      return Response.accepted(job.view()).location(URI.create("/imports/" + job.id())).build();
    }
    ImportView view = imports.await(job, WAIT_SECONDS).view();
    if (view.state() == ImportJob.State.REFUSED) {
      // Counted as refused by the import itself.
      throw ServiceException.badRequest(ImportService.NOTHING_IMPORTED, view.error())
          .withDetails(view);
    }
    return Response.ok(view).build();
  }

  private static Layout parseLayout(String layout) {
    try {
      return Layout.fromId(layout);
    } catch (IllegalArgumentException e) {
      throw ServiceException.badRequest(
          "bad_layout",
          "layout '"
              + layout
              + "' is not one of: auto, "
              + String.join(
                  ", ", java.util.Arrays.stream(Layout.values()).map(Layout::id).toList()));
    }
  }

  /** Streams a body to a temporary file, refusing (413) one over the import limit. */
  private java.nio.file.Path spool(InputStream body) {
    long limit = config.maxImportBytes();
    java.nio.file.Path file = null;
    try {
      file = Files.createTempFile("alfer-import-", ".upload");
      try (OutputStream out = Files.newOutputStream(file)) {
        byte[] buf = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = body.read(buf)) != -1) {
          total += n;
          if (total > limit) {
            throw ServiceException.tooLarge(
                "upload is larger than the limit of " + limit + " bytes");
          }
          out.write(buf, 0, n);
        }
      }
      return file;
    } catch (IOException e) {
      deleteQuietly(file);
      throw new UncheckedIOException("cannot receive the upload", e);
    } catch (RuntimeException e) {
      deleteQuietly(file);
      throw e;
    }
  }

  private static void deleteQuietly(java.nio.file.Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temporary file; the OS cleans up
      }
    }
  }
}
