package io.alfer.core.catalog;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.alfer.core.messaging.Origins;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageLayout;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.ObjectRef;
import io.alfer.proto.v1.Split;
import io.alfer.proto.v1.Taxonomy;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
   */
  public record Image(
      String id, byte[] png, int width, int height, String sourceFormat, byte[] original) {}

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
    ObjectRef canonical =
        store.put(StorageLayout.canonicalImage(dataset, image.id()), image.png(), "image/png");
    ObjectRef original =
        image.original() == null
            ? canonical
            : store.put(
                StorageLayout.originalImage(dataset, image.id(), image.sourceFormat()),
                image.original(),
                "image/" + image.sourceFormat());
    ImageIngested event =
        ImageIngested.newBuilder()
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
            .setOrigin(Origins.now(service, instance))
            .build();
    return announcer.image(event).thenApply(ignored -> event);
  }

  private static String json(DatasetDefined definition) {
    try {
      return JsonFormat.printer().print(definition);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "cannot write the definition of " + definition.getDataset(), e);
    }
  }
}
