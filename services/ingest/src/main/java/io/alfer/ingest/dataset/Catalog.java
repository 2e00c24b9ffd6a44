package io.alfer.ingest.dataset;

import io.alfer.core.messaging.CatalogRecords;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.Split;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this service knows is stored: dataset definitions and, per dataset, every announced image
 * with its split and label. Rebuilt at start-up from the compacted catalog topics ({@code
 * alfer.datasets}, {@code alfer.images}) and kept current by this instance's own announcements. It
 * is what makes re-ingesting the same content a no-op.
 */
@ApplicationScoped
public class Catalog implements CatalogRecords.Catalog {
  private final Map<String, DatasetDefinition> definitions = new ConcurrentHashMap<>();
  private final Map<String, Map<String, ImageEntry>> images = new ConcurrentHashMap<>();
  private final Map<String, Boolean> claims = new ConcurrentHashMap<>();

  /** Split and label of a stored image. */
  public record ImageEntry(Split split, int label) {}

  /** The definition of a dataset, if it exists. */
  public Optional<DatasetDefinition> definition(String dataset) {
    return Optional.ofNullable(definitions.get(dataset));
  }

  /** Every dataset definition, by name. */
  public Collection<DatasetDefinition> definitions() {
    return new TreeMap<>(definitions).values();
  }

  /** Records a dataset definition (from the topic or from this instance). */
  public void define(DatasetDefined event) {
    definitions.put(
        event.getDataset(),
        new DatasetDefinition(
            event.getDataset(),
            event.getTaxonomy().getClassesList(),
            event.getWidth(),
            event.getLayout()));
  }

  /** Records an announced image (from the topic or from this instance). */
  public void record(ImageIngested event) {
    images
        .computeIfAbsent(event.getDataset(), d -> new ConcurrentHashMap<>())
        .put(event.getImageId(), new ImageEntry(event.getSplit(), event.getLabel()));
  }

  /** Whether an image is already stored and announced. */
  public boolean contains(String dataset, String imageId) {
    Map<String, ImageEntry> ds = images.get(dataset);
    return ds != null && ds.containsKey(imageId);
  }

  /**
   * Reserves an image id for ingestion. Returns false when the image is already stored or being
   * ingested by another request; then nothing must be written.
   */
  public boolean claim(String dataset, String imageId) {
    if (contains(dataset, imageId)) {
      return false;
    }
    return claims.putIfAbsent(dataset + "/" + imageId, Boolean.TRUE) == null;
  }

  /** Ends a reservation (after the image was recorded, or when ingesting it failed). */
  public void release(String dataset, String imageId) {
    claims.remove(dataset + "/" + imageId);
  }

  /** Counts per split and per class of a dataset. */
  public DatasetSummary summary(DatasetDefinition definition) {
    Map<String, ImageEntry> ds = images.getOrDefault(definition.name(), Map.of());
    int classes = definition.classes().size();
    long[] pool = new long[classes + 1];
    long[] test = new long[classes + 1];
    for (ImageEntry e : ds.values()) {
      long[] counts = e.split() == Split.SPLIT_TEST ? test : pool;
      counts[e.label() >= 0 && e.label() < classes ? e.label() : classes]++;
    }
    List<DatasetSummary.ClassCount> perClass = new ArrayList<>();
    for (int i = 0; i < classes; i++) {
      perClass.add(new DatasetSummary.ClassCount(definition.classes().get(i), pool[i], test[i]));
    }
    perClass.add(new DatasetSummary.ClassCount("(unlabelled)", pool[classes], test[classes]));
    long poolTotal = java.util.Arrays.stream(pool).sum();
    long testTotal = java.util.Arrays.stream(test).sum();
    return new DatasetSummary(
        definition.name(),
        definition.size(),
        definition.size(),
        definition.classes(),
        definition.layout(),
        poolTotal + testTotal,
        Map.of("pool", poolTotal, "test", testTotal),
        perClass,
        false);
  }
}
