package io.alfer.trainer.training;

import io.alfer.core.storage.Hashes;
import io.alfer.core.storage.ObjectStore;
import io.alfer.ml.data.CanonicalImages;
import io.alfer.ml.data.PackedImages;
import io.alfer.ml.data.ShardStore;
import io.alfer.ml.store.BlobStore;
import io.alfer.proto.v1.Split;
import io.alfer.trainer.config.TrainerConfig;
import io.alfer.trainer.dataset.DatasetCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A dataset split as training tensors. The split's image ids at the time (sorted) name a snapshot,
 * {@code <dataset>/<split>-<hash of the ids>}; its canonical images (from the imports' pixel
 * segments, else one PNG each) are packed into shards under {@code
 * shards/<dataset>/<split>-<hash>/} once, and every later job (and every restart of one) on the
 * same images reads the shards through the local cache instead of one object per image.
 */
@ApplicationScoped
public class TrainingData {
  private final DatasetCatalog catalog;
  private final ObjectStore objects;
  private final ShardStore shards;
  private final TrainerConfig config;

  public TrainingData(
      DatasetCatalog catalog, ObjectStore objects, ShardStore shards, TrainerConfig config) {
    this.catalog = catalog;
    this.objects = objects;
    this.shards = shards;
    this.config = config;
  }

  /** Packs (once) the dataset's current pool, unlabelled; returns the snapshot name. */
  public String snapshotPool(String dataset) {
    List<String> ids = catalog.ids(dataset, Split.SPLIT_POOL);
    int[] labels = new int[ids.size()];
    Arrays.fill(labels, PackedImages.UNLABELLED);
    return snapshot(dataset, "pool", ids, labels);
  }

  /** Packs (once) the dataset's labelled test images with their ground truth. */
  public String snapshotTest(String dataset) {
    List<String> ids =
        catalog.ids(dataset, Split.SPLIT_TEST).stream()
            .filter(id -> catalog.image(dataset, id).orElseThrow().label() >= 0)
            .toList();
    int[] labels =
        ids.stream().mapToInt(id -> catalog.image(dataset, id).orElseThrow().label()).toArray();
    return snapshot(dataset, "test", ids, labels);
  }

  /** The images of a snapshot, in its (sorted id) order. */
  public PackedImages load(String snapshot) {
    return shards.load(snapshot);
  }

  /** Where an image's pixels are in its import's pixel segment, when it has one. */
  private Optional<CanonicalImages.SegmentRow> segmentRow(String dataset, String id) {
    return catalog
        .image(dataset, id)
        .filter(e -> e.segment() != null)
        .map(
            e ->
                new CanonicalImages.SegmentRow(
                    e.segment().getKey(),
                    e.segment().getSizeBytes(),
                    e.segment().getSha256(),
                    e.row()));
  }

  private String snapshot(String dataset, String split, List<String> ids, int[] labels) {
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("dataset " + dataset + " has no " + split + " images");
    }
    String name =
        dataset
            + "/"
            + split
            + "-"
            + Hashes.sha256Hex(
                    (String.join("\n", ids) + "\n" + Arrays.toString(labels))
                        .getBytes(StandardCharsets.UTF_8))
                .substring(0, 16);
    shards.packIfAbsent(
        name,
        () ->
            CanonicalImages.read(
                BlobStore.of(objects), dataset, ids, labels, id -> segmentRow(dataset, id)),
        config.imagesPerShard());
    return name;
  }
}
