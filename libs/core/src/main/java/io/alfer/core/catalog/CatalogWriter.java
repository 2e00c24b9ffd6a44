package io.alfer.core.catalog;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.alfer.core.messaging.Origins;
import io.alfer.core.storage.Hashes;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.PixelSegment;
import io.alfer.core.storage.StorageLayout;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.ObjectRef;
import io.alfer.proto.v1.PixelRow;
import io.alfer.proto.v1.Split;
import io.alfer.proto.v1.Taxonomy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The one way dataset definitions and images enter alfer's storage and catalog: what is stored
 * ({@code datasets/<name>/dataset.json}, {@code images/<dataset>/<id>.png}, {@code
 * originals/<dataset>/<id>.<format>}), what is announced ({@code DatasetDefined} on alfer.datasets,
 * {@code ImageIngested} on alfer.images) and in which order: bytes first, then the announcement, so
 * that a consumer never reads an image that is not there. The ingest service writes through it (its
 * announcer sends with its emitters); so does anything that imports without the service (the
 * experiment's synthetic import, with a {@link KafkaAnnouncer}).
 */
public final class CatalogWriter {
  /** Where announcements go; each completes when the broker has acknowledged the record. */
  public interface Announcer {
    /** Announces a definition on alfer.datasets, keyed by the dataset's name. */
    CompletionStage<Void> dataset(DatasetDefined definition);

    /** Announces an image on alfer.images, keyed by its id. */
    CompletionStage<Void> image(ImageIngested image);
  }

  /**
   * An image in its canonical form.
   *
   * @param id content-derived id
   * @param png canonical grayscale PNG
   * @param width its width
   * @param height its height
   * @param sourceFormat the uploaded format ({@code png}, {@code jpeg}, …), or {@code raw-gray} for
   *     pixels that came without a file
   * @param original the uploaded bytes, or null when there were none (raw pixels)
   * @param pixels the canonical 8-bit gray pixels the PNG encodes, {@code width × height},
   *     row-major (what a {@link Segments} packs)
   */
  public record Image(
      String id,
      byte[] png,
      int width,
      int height,
      String sourceFormat,
      byte[] original,
      byte[] pixels) {}

  private final ObjectStore store;
  private final Announcer announcer;
  private final String service;
  private final String instance;

  /**
   * @param service and {@code instance}: who writes, for the records' origin
   */
  public CatalogWriter(ObjectStore store, Announcer announcer, String service, String instance) {
    this.store = store;
    this.announcer = announcer;
    this.service = service;
    this.instance = instance;
  }

  /** The definition of a dataset of square images of side {@code size}. */
  public DatasetDefined definition(String name, List<String> classes, int size, String layout) {
    return DatasetDefined.newBuilder()
        .setDataset(name)
        .setTaxonomy(Taxonomy.newBuilder().addAllClasses(classes))
        .setWidth(size)
        .setHeight(size)
        .setLayout(layout)
        .setOrigin(Origins.now(service, instance))
        .build();
  }

  /**
   * Stores {@code definition} as {@code dataset.json}, then announces it.
   *
   * @return completes when the broker has acknowledged the announcement
   */
  public CompletionStage<Void> define(DatasetDefined definition) {
    store.put(
        StorageLayout.datasetDefinition(definition.getDataset()),
        json(definition).getBytes(StandardCharsets.UTF_8),
        "application/json");
    return announcer.dataset(definition);
  }

  /**
   * Stores an image's canonical PNG (and its original bytes, when there are any), then announces
   * it. Storing happens on the calling thread.
   *
   * @param label class index, or -1 when unknown
   * @param source where it came from, for people (a file name, a CSV row)
   * @return the announced record, once the broker has acknowledged it
   */
  public CompletionStage<ImageIngested> store(
      String dataset, Image image, Split split, int label, String source) {
    ImageIngested event = storeBytes(dataset, image, split, label, source).build();
    return announcer.image(event).thenApply(ignored -> event);
  }

  /**
   * Stores images of one dataset whose announcements wait for their pixel segment: see {@link
   * Segments}. Close it (or {@link Segments#flush()}) when no more images come.
   *
   * @param imagesPerSegment images per segment, at least 1
   */
  public Segments segments(String dataset, int imagesPerSegment) {
    return new Segments(dataset, imagesPerSegment);
  }

  /** Stores the PNG (and the original bytes) and returns the announcement, without its segment. */
  private ImageIngested.Builder storeBytes(
      String dataset, Image image, Split split, int label, String source) {
    ObjectRef canonical =
        store.put(StorageLayout.canonicalImage(dataset, image.id()), image.png(), "image/png");
    ObjectRef original =
        image.original() == null
            ? canonical
            : store.put(
                StorageLayout.originalImage(dataset, image.id(), image.sourceFormat()),
                image.original(),
                "image/" + image.sourceFormat());
    return ImageIngested.newBuilder()
        .setImageId(image.id())
        .setDataset(dataset)
        .setSplit(split)
        .setLabel(label)
        .setCanonical(canonical)
        .setOriginal(original)
        .setWidth(image.width())
        .setHeight(image.height())
        .setSource(source)
        .setSourceFormat(image.original() == null ? "raw-gray" : image.sourceFormat())
        .setOrigin(Origins.now(service, instance));
  }

  /**
   * Images of one dataset stored in batches: each image's PNG (and original) is stored when it is
   * added, on the adding thread, and its canonical pixels are kept; when {@code imagesPerSegment}
   * images are kept — or on {@link #flush()} — their pixels are written as one {@link PixelSegment}
   * ({@code segments/<dataset>/<sha256>.px}) and only then are they announced, each with its row of
   * the segment ({@code ImageIngested.pixels}). Bytes first, then the announcement, as for single
   * images. Images of another size than the first one added go without a segment. Thread-safe:
   * import workers add concurrently.
   */
  public final class Segments implements AutoCloseable {
    private final String dataset;
    private final int imagesPerSegment;
    private final List<Pending> pending = new ArrayList<>();
    private int width;
    private int height;

    private Segments(String dataset, int imagesPerSegment) {
      if (imagesPerSegment < 1) {
        throw new IllegalArgumentException(
            "imagesPerSegment must be at least 1, got " + imagesPerSegment);
      }
      this.dataset = dataset;
      this.imagesPerSegment = imagesPerSegment;
    }

    /**
     * Stores an image's bytes now and announces it once its segment is written.
     *
     * @return completes with the announced record when the broker acknowledged it; fails when the
     *     segment or the announcement could not be written
     */
    public CompletionStage<ImageIngested> add(Image image, Split split, int label, String source) {
      ImageIngested.Builder event = storeBytes(dataset, image, split, label, source);
      if (image.pixels() == null || image.pixels().length != image.width() * image.height()) {
        ImageIngested single = event.build();
        return announcer.image(single).thenApply(ignored -> single);
      }
      Pending p = new Pending(event, image.pixels(), new CompletableFuture<>());
      List<Pending> full = null;
      synchronized (this) {
        if (pending.isEmpty()) {
          width = image.width();
          height = image.height();
        }
        if (image.width() != width || image.height() != height) {
          ImageIngested single = event.build();
          return announcer.image(single).thenApply(ignored -> single);
        }
        pending.add(p);
        if (pending.size() >= imagesPerSegment) {
          full = take();
        }
      }
      if (full != null) {
        write(full);
      }
      return p.announced();
    }

    /** Writes the images kept so far as a segment and announces them; the caller's thread. */
    public void flush() {
      List<Pending> rest;
      synchronized (this) {
        rest = take();
      }
      if (!rest.isEmpty()) {
        write(rest);
      }
    }

    /** Images added and not yet written in a segment. */
    public synchronized int kept() {
      return pending.size();
    }

    @Override
    public void close() {
      flush();
    }

    private List<Pending> take() {
      List<Pending> out = List.copyOf(pending);
      pending.clear();
      return out;
    }

    private void write(List<Pending> images) {
      int w = images.get(0).event().getWidth();
      int h = images.get(0).event().getHeight();
      int area = w * h;
      byte[] all = new byte[images.size() * area];
      for (int i = 0; i < images.size(); i++) {
        System.arraycopy(images.get(i).pixels(), 0, all, i * area, area);
      }
      byte[] bytes = new PixelSegment(images.size(), w, h, all).toBytes();
      ObjectRef segment;
      try {
        String sha256 = Hashes.sha256Hex(bytes); // names the segment, and goes into its reference
        segment =
            store.put(
                StorageLayout.pixelSegment(dataset, sha256),
                bytes,
                PixelSegment.CONTENT_TYPE,
                sha256);
      } catch (RuntimeException e) {
        images.forEach(p -> p.announced().completeExceptionally(e));
        return;
      }
      for (int i = 0; i < images.size(); i++) {
        Pending p = images.get(i);
        ImageIngested event =
            p.event().setPixels(PixelRow.newBuilder().setSegment(segment).setRow(i)).build();
        announcer
            .image(event)
            .whenComplete(
                (ignored, failure) -> {
                  if (failure != null) {
                    p.announced().completeExceptionally(failure);
                  } else {
                    p.announced().complete(event);
                  }
                });
      }
    }
  }

  private record Pending(
      ImageIngested.Builder event, byte[] pixels, CompletableFuture<ImageIngested> announced) {}

  private static String json(DatasetDefined definition) {
    try {
      return JsonFormat.printer().print(definition);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "cannot write the definition of " + definition.getDataset(), e);
    }
  }
}
