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
 * @param pending true for a dataset defined without classes: its size is fixed, its classes (and
 *     taxonomy) come from its first import, and it has no images yet
 */
public record DatasetSummary(
    String name,
    int width,
    int height,
    List<String> taxonomy,
    String layout,
    long images,
    Map<String, Long> splits,
    List<ClassCount> classes,
    boolean pending) {

  /** The summary of a dataset defined without classes, waiting for its first import. */
  public static DatasetSummary pending(DatasetDrafts.Draft draft) {
    return new DatasetSummary(
        draft.name(),
        draft.size(),
        draft.size(),
        List.of(),
        "",
        0,
        Map.of("pool", 0L, "test", 0L),
        List.of(),
        true);
  }

  /** Images of one class per split. */
  public record ClassCount(String name, long pool, long test) {}
}
