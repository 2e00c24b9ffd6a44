package io.alfer.experiment.data;

import io.alfer.core.catalog.CatalogWriter;
import io.alfer.core.catalog.KafkaAnnouncer;
import io.alfer.core.storage.ObjectStore;
import io.alfer.datasets.ClassTaxonomy;
import io.alfer.datasets.image.ImageNormalizer;
import io.alfer.datasets.image.NormalizedImage;
import io.alfer.datasets.synthetic.Sample;
import io.alfer.datasets.synthetic.SyntheticFer;
import io.alfer.proto.v1.ImageIngested;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Generates the synthetic FER set and imports it straight into alfer's storage, as the ingest
 * service would store a FER2013 CSV of it: the definition ({@code datasets/<name>/dataset.json} and
 * {@code alfer.datasets}), each image's canonical PNG ({@code images/<name>/<id>.png}) and its
 * announcement on {@code alfer.images}, keyed by the content-derived id, through the same {@link
 * CatalogWriter} the ingest service writes with (so an image is announced only after its PNG is
 * stored, and the records are the service's). Images whose content repeats are stored once. It
 * serves a fresh machine without the ingest service running; the result is indistinguishable to the
 * other services.
 */
public final class SyntheticImport {
  private static final long ACK_TIMEOUT_SECONDS = 60;
  private static final int PROGRESS_EVERY = 2000;

  /** Images per pixel segment (a divisor of {@link #PROGRESS_EVERY}: progress lines flush). */
  private static final int IMAGES_PER_SEGMENT = 500;

  private final String bootstrapServers;
  private final ObjectStore objects;

  public SyntheticImport(String bootstrapServers, ObjectStore objects) {
    this.bootstrapServers = bootstrapServers;
    this.objects = objects;
  }

  /**
   * Generates {@code count} faces from {@code seed} into dataset {@code dataset} (FER7 classes,
   * 48×48, FER2013's pool/test usage split).
   *
   * @param progress receives a line every few thousand images
   * @return the number of distinct images stored and announced
   */
  public int importInto(String dataset, int count, long seed, Consumer<String> progress) {
    if (count < 1) {
      throw new IllegalArgumentException("need at least one synthetic image, got " + count);
    }
    objects.ensureBucket();
    ImageNormalizer normalizer =
        new ImageNormalizer(SyntheticFer.SIZE, ImageNormalizer.DEFAULT_MAX_PIXELS);
    SyntheticFer generator = new SyntheticFer(seed);
    Set<String> seen = new HashSet<>();
    List<CompletableFuture<ImageIngested>> pending = new ArrayList<>();
    try (KafkaAnnouncer announcer = new KafkaAnnouncer(bootstrapServers)) {
      CatalogWriter writer =
          new CatalogWriter(objects, announcer, "experiment", "alfer-experiment");
      await(
          List.of(
              writer
                  .define(
                      writer.definition(
                          dataset, ClassTaxonomy.FER7.classes(), SyntheticFer.SIZE, "fer2013-csv"))
                  .toCompletableFuture()));
      CatalogWriter.Segments segments = writer.segments(dataset, IMAGES_PER_SEGMENT);
      for (int i = 0; i < count; i++) {
        Sample sample = generator.sample(i);
        NormalizedImage image =
            normalizer.normalizeGrayPixels(
                sample.pixels(), SyntheticFer.SIZE, SyntheticFer.SIZE, "synthetic-fer");
        if (!seen.add(image.id())) {
          continue;
        }
        pending.add(
            segments
                .add(
                    new CatalogWriter.Image(
                        image.id(),
                        image.png(),
                        image.width(),
                        image.height(),
                        "raw-gray",
                        null,
                        image.pixels()),
                    sample.split(),
                    sample.label(),
                    "synthetic-fer seed " + seed + " #" + i)
                .toCompletableFuture());
        if ((i + 1) % PROGRESS_EVERY == 0) {
          segments.flush();
          await(pending);
          pending.clear();
          progress.accept(
              String.format("synthetic FER: %d/%d images stored and announced", i + 1, count));
        }
      }
      segments.flush();
      await(pending);
    }
    progress.accept(
        String.format(
            "synthetic FER: %d distinct images imported into dataset %s", seen.size(), dataset));
    return seen.size();
  }

  private static void await(List<? extends Future<?>> sends) {
    for (Future<?> send : sends) {
      try {
        send.get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while announcing synthetic images", e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException(
            "the broker did not acknowledge a synthetic image: " + e.getMessage(), e);
      }
    }
  }
}
