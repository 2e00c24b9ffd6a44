package io.alfer.trainer.dataset;

import io.alfer.core.messaging.CatalogRecords;
import io.alfer.proto.v1.DatasetDefined;
import io.alfer.proto.v1.ImageIngested;
import io.alfer.proto.v1.ObjectRef;
import io.alfer.proto.v1.Split;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the trainer knows of every dataset, rebuilt from the compacted catalog topics: the
 * definition (classes, size) and, per image, its split and ground-truth label. Written by the
 * {@link DatasetFollower} thread, read by request validation and data loading.
 */
@ApplicationScoped
public class DatasetCatalog implements CatalogRecords.Catalog {
  private final Map<String, DatasetDefined> definitions = new ConcurrentHashMap<>();
  private final Map<String, Map<String, ImageEntry>> images = new ConcurrentHashMap<>();
  // One instance per pixel segment, shared by the entries of its images.
  private final Map<String, ObjectRef> segments = new ConcurrentHashMap<>();

  /** Records a dataset definition (the latest one wins, as on the compacted topic). */
  public void define(DatasetDefined definition) {
    definitions.put(definition.getDataset(), definition);
  }

  /** Records an image of a dataset. */
  public void record(ImageIngested image) {
    images
        .computeIfAbsent(image.getDataset(), d -> new ConcurrentHashMap<>())
        .put(
            image.getImageId(),
            new ImageEntry(
                image.getSplit(),
                image.getLabel(),
                image.hasPixels()
                    ? segments.computeIfAbsent(
                        image.getPixels().getSegment().getKey(),
                        k -> image.getPixels().getSegment())
                    : null,
                image.hasPixels() ? image.getPixels().getRow() : -1));
  }

  /** The definition of a dataset, if it has been announced. */
  public Optional<DatasetDefined> definition(String dataset) {
    return Optional.ofNullable(definitions.get(dataset));
  }

  /** The entry of one image, if the dataset has it. */
  public Optional<ImageEntry> image(String dataset, String imageId) {
    return Optional.ofNullable(images.getOrDefault(dataset, Map.of()).get(imageId));
  }

  /** The ids of a dataset's images in a split, sorted (a stable snapshot order). */
  public List<String> ids(String dataset, Split split) {
    List<String> out = new ArrayList<>();
    images
        .getOrDefault(dataset, Map.of())
        .forEach(
            (id, entry) -> {
              if (entry.split() == split) {
                out.add(id);
              }
            });
    out.sort(null);
    return out;
  }

  /**
   * One image as the catalog knows it.
   *
   * @param split pool or test
   * @param label ground-truth label index, -1 when unknown
   * @param segment the pixel segment holding its canonical pixels, or null (an image ingested on
   *     its own, or announced before segments)
   * @param row its row in that segment, -1 without one
   */
  public record ImageEntry(Split split, int label, ObjectRef segment, int row) {
    public ImageEntry(Split split, int label) {
      this(split, label, null, -1);
    }
  }
}
