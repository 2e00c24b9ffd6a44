package io.alfer.ingest.image;

import io.alfer.core.catalog.CatalogWriter;
import io.alfer.datasets.image.ImageNormalizer;
import io.alfer.datasets.image.InvalidImageException;
import io.alfer.datasets.image.NormalizedImage;
import io.alfer.ingest.config.IngestConfig;
import io.alfer.ingest.dataset.Catalog;
import io.alfer.ingest.dataset.DatasetDefinition;
import io.alfer.ingest.metrics.IngestMetrics;
import io.alfer.kit.error.ServiceException;
import io.alfer.proto.v1.Split;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ingests one image: normalise, store (canonical PNG and original bytes), announce, record. An
 * image whose content is already stored is a no-op. Nothing is announced unless both objects are
 * stored; a failed announcement leaves the content re-ingestible.
 */
@ApplicationScoped
public class ImageService {
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private final Catalog catalog;
  private final CatalogWriter writer;
  private final IngestMetrics metrics;
  private final IngestConfig config;
  private final Map<Integer, ImageNormalizer> normalizers = new ConcurrentHashMap<>();

  public ImageService(
      Catalog catalog, CatalogWriter writer, IngestMetrics metrics, IngestConfig config) {
    this.catalog = catalog;
    this.writer = writer;
    this.metrics = metrics;
    this.config = config;
  }

  /** Stores and announces a normalised image and waits for the announcement's acknowledgement. */
  public IngestOutcome ingestBlocking(
      DatasetDefinition dataset,
      NormalizedImage image,
      byte[] original,
      Split split,
      int label,
      String source) {
    return ingest(dataset, image, original, split, label, source)
        .toCompletableFuture()
        .orTimeout(ACK_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        .join();
  }

  /** Decodes and normalises encoded bytes to the dataset's canonical form. */
  public NormalizedImage normalize(DatasetDefinition dataset, byte[] bytes) {
    try {
      return normalizer(dataset).normalize(bytes);
    } catch (InvalidImageException e) {
      throw refusal(e);
    }
  }

  /** Normalises raw 8-bit gray pixels (e.g. a FER2013 CSV row). */
  public NormalizedImage normalizeGray(
      DatasetDefinition dataset, byte[] pixels, int width, int height) {
    try {
      return normalizer(dataset).normalizeGrayPixels(pixels, width, height);
    } catch (InvalidImageException e) {
      throw refusal(e);
    }
  }

  /**
   * Stores and announces a normalised image. Storing happens on the calling thread; the returned
   * stage completes when the broker acknowledged the announcement.
   *
   * @param original original bytes, or null when the source already was the canonical pixels
   */
  public CompletionStage<IngestOutcome> ingest(
      DatasetDefinition dataset,
      NormalizedImage image,
      byte[] original,
      Split split,
      int label,
      String source) {
    return ingest(dataset, image, original, split, label, source, null);
  }

  /** The segments an import writes its images through: see {@link CatalogWriter.Segments}. */
  public CatalogWriter.Segments segments(DatasetDefinition dataset, int imagesPerSegment) {
    return writer.segments(dataset.name(), imagesPerSegment);
  }

  /**
   * Stores and announces a normalised image; with {@code segments}, the announcement waits for the
   * image's pixel segment (an import's batch), otherwise it is announced on its own.
   */
  public CompletionStage<IngestOutcome> ingest(
      DatasetDefinition dataset,
      NormalizedImage image,
      byte[] original,
      Split split,
      int label,
      String source,
      CatalogWriter.Segments segments) {
    long start = System.nanoTime();
    if (label < -1 || label >= dataset.classes().size()) {
      throw ServiceException.badRequest(
          "label_outside_taxonomy",
          "label " + label + " is outside the taxonomy " + dataset.classes());
    }
    String name = dataset.name();
    String id = image.id();
    if (!catalog.claim(name, id)) {
      metrics.duplicate();
      return CompletableFuture.completedFuture(new IngestOutcome(id, name, false));
    }
    try {
      long size = original == null ? image.png().length : original.length;
      CatalogWriter.Image stored =
          new CatalogWriter.Image(
              id,
              image.png(),
              image.width(),
              image.height(),
              image.sourceFormat(),
              original,
              image.pixels());
      return (segments == null
              ? writer.store(name, stored, split, label, source)
              : segments.add(stored, split, label, source))
          .handle(
              (event, failure) -> {
                if (failure == null) {
                  catalog.record(event);
                }
                catalog.release(name, id);
                if (failure != null) {
                  Throwable cause =
                      failure instanceof java.util.concurrent.CompletionException c
                              && c.getCause() != null
                          ? c.getCause()
                          : failure;
                  throw cause instanceof io.alfer.core.storage.StorageException
                      ? new ServiceException(
                          503,
                          "storage_unavailable",
                          "image stored but its pixel segment not: " + cause.getMessage(),
                          cause)
                      : new ServiceException(
                          503,
                          "broker_unavailable",
                          "image stored but not announced: " + cause.getMessage(),
                          cause);
                }
                metrics.accepted(size, System.nanoTime() - start);
                return new IngestOutcome(id, name, true);
              });
    } catch (RuntimeException e) {
      catalog.release(name, id);
      throw e;
    }
  }

  private ImageNormalizer normalizer(DatasetDefinition dataset) {
    return normalizers.computeIfAbsent(
        dataset.size(), size -> new ImageNormalizer(size, config.maxPixels()));
  }

  private static ServiceException refusal(InvalidImageException e) {
    String reason = e.reason().name().toLowerCase(java.util.Locale.ROOT);
    int status = "unsupported_format".equals(reason) ? 415 : 400;
    return new ServiceException(status, reason, e.getMessage(), e);
  }
}
