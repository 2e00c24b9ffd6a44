package io.alfer.experiment.data;

import java.util.List;

/**
 * A dataset as its catalog topics describe it at one moment: the definition and, per split, the
 * image ids sorted ascending ({@link String#compareTo}) with their ground-truth labels.
 *
 * @param dataset the dataset name
 * @param classes class names in label order
 * @param width canonical image width
 * @param height canonical image height
 * @param poolIds pool image ids, sorted
 * @param poolLabels ground truth of each pool image (-1 when unknown)
 * @param testIds labelled test image ids, sorted (test images without a label are left out)
 * @param testLabels ground truth of each test image
 */
public record DatasetCatalog(
    String dataset,
    List<String> classes,
    int width,
    int height,
    List<String> poolIds,
    int[] poolLabels,
    List<String> testIds,
    int[] testLabels) {

  public DatasetCatalog {
    classes = List.copyOf(classes);
    poolIds = List.copyOf(poolIds);
    testIds = List.copyOf(testIds);
    if (poolIds.size() != poolLabels.length || testIds.size() != testLabels.length) {
      throw new IllegalArgumentException("one label per image is needed");
    }
  }

  /** Pool images. */
  public int poolSize() {
    return poolIds.size();
  }

  /** Number of pool images without a ground-truth label. */
  public int unlabelledPoolImages() {
    int count = 0;
    for (int label : poolLabels) {
      count += label < 0 ? 1 : 0;
    }
    return count;
  }
}
