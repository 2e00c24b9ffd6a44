package io.alfer.ingest.dataset;

import java.util.List;
import java.util.Map;

/**
 * What {@code GET /datasets/{name}} answers.
 *
 * @param name dataset
 * @param width canonical width
 * @param height canonical height
 * @param taxonomy classes in label order
 * @param layout layout it was first imported from
 * @param images images stored
 * @param splits images per split
 * @param classes images per class and split (last row: unlabelled)
 */
public record DatasetSummary(
    String name,
    int width,
    int height,
    List<String> taxonomy,
    String layout,
    long images,
    Map<String, Long> splits,
    List<ClassCount> classes) {

  /** Images of one class per split. */
  public record ClassCount(String name, long pool, long test) {}
}
