package io.alfer.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.alfer.cli.stack.StackException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Set;

/** The ingest service's REST API, as the CLI uses it. */
public final class IngestClient {
  private final JsonHttp http;

  public IngestClient(URI base) {
    this.http = new JsonHttp("ingest", base);
  }

  /**
   * Uploads go over HTTP/1.1: one large body gains nothing from HTTP/2's streams, and its 16 KiB
   * frames and window updates cost both sides CPU that the import then lacks.
   */
  private static final HttpClient.Version BULK_UPLOAD = HttpClient.Version.HTTP_1_1;

  /** Uploads a dataset file for bulk import; returns the import's view (with its id). */
  public JsonNode startImport(String dataset, Path file, String layout) {
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(
                  http.base().resolve("/datasets/" + dataset + "/imports?layout=" + layout))
              .version(BULK_UPLOAD)
              .header("Content-Type", "application/octet-stream")
              .POST(HttpRequest.BodyPublishers.ofFile(file))
              .build();
    } catch (java.io.FileNotFoundException e) {
      throw new StackException("no such file: " + file, e);
    }
    return http.send(request, Set.of(202));
  }

  /**
   * Uploads a file for bulk import as the {@code file} part of a form, so that refusals name its
   * rows or entries after {@code uploadName} ({@code faces.csv:17}); returns the import's view
   * (with its id) once the service has the whole upload.
   *
   * @param layout a layout id, or {@code auto}
   * @param split {@code train} or {@code test} for every image, or null to keep the data's own
   * @param size the dataset's image side for an import that defines it, or 0
   * @param sent told the bytes sent so far, as they go
   */
  public JsonNode upload(
      String dataset,
      Path file,
      String uploadName,
      String layout,
      String split,
      int size,
      java.util.function.LongConsumer sent) {
    String boundary = "alfer-" + Long.toHexString(System.nanoTime());
    StringBuilder head = new StringBuilder();
    formField(head, boundary, "layout", layout);
    if (split != null) {
      formField(head, boundary, "split", split);
    }
    head.append("--").append(boundary).append("\r\n");
    head.append("Content-Disposition: form-data; name=\"file\"; filename=\"")
        .append(uploadName.replace("\"", "_").replace("\r", "").replace("\n", ""))
        .append("\"\r\n");
    head.append("Content-Type: application/octet-stream\r\n\r\n");
    String tail = "\r\n--" + boundary + "--\r\n";
    long length;
    try {
      length = java.nio.file.Files.size(file);
    } catch (java.io.IOException e) {
      throw new StackException("cannot read " + file + ": " + e.getMessage(), e);
    }
    HttpRequest.BodyPublisher content =
        HttpRequest.BodyPublishers.fromPublisher(
            HttpRequest.BodyPublishers.ofInputStream(
                () -> {
                  try {
                    return new CountingStream(java.nio.file.Files.newInputStream(file), sent);
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                }),
            length);
    String query = "/datasets/" + dataset + "/imports" + (size > 0 ? "?size=" + size : "");
    HttpRequest request =
        HttpRequest.newBuilder(http.base().resolve(query))
            .version(BULK_UPLOAD)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(
                HttpRequest.BodyPublishers.concat(
                    HttpRequest.BodyPublishers.ofString(head.toString()),
                    content,
                    HttpRequest.BodyPublishers.ofString(tail)))
            .build();
    return http.send(request, Set.of(202));
  }

  private static void formField(StringBuilder form, String boundary, String name, String value) {
    form.append("--").append(boundary).append("\r\n");
    form.append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n");
    form.append(value).append("\r\n");
  }

  /** Tells how many bytes were read so far. */
  private static final class CountingStream extends java.io.FilterInputStream {
    private final java.util.function.LongConsumer sent;
    private long count;

    CountingStream(java.io.InputStream in, java.util.function.LongConsumer sent) {
      super(in);
      this.sent = sent;
    }

    @Override
    public int read() throws java.io.IOException {
      int b = super.read();
      if (b >= 0) {
        sent.accept(++count);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws java.io.IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        sent.accept(count += n);
      }
      return n;
    }
  }

  /** The progress view of an import. */
  public JsonNode importView(String id) {
    return http.get("/imports/" + id);
  }

  /**
   * Defines a dataset's canonical size (its images are resampled to {@code size × size} as they
   * come in); its classes come from its first import (FER's seven for a FER2013 CSV). Answers its
   * summary; an existing dataset of another size is refused (409).
   */
  public JsonNode define(String dataset, int size) {
    return http.put("/datasets/" + dataset, java.util.Map.of("size", size), Set.of(200, 201));
  }

  /** The summary of a dataset. */
  public JsonNode dataset(String dataset) {
    return http.get("/datasets/" + dataset);
  }
}
