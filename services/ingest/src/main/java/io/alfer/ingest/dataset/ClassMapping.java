package io.alfer.ingest.dataset;

import io.alfer.kit.error.ServiceException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the labels of an import's data map onto a dataset's classes: by name, ignoring case, so that
 * the order in which a reader lists its classes (image folders: sorted) does not matter. A label is
 * the position of its class in the dataset's definition. The data may lack some of the defined
 * classes (an import of a few of them); a class of the data that the definition lacks is a clash.
 */
public final class ClassMapping {
  private final int[] labels;

  private ClassMapping(int[] labels) {
    this.labels = labels;
  }

  /**
   * What sets two lists of classes apart, for a refusal's details.
   *
   * @param dataset the dataset
   * @param defined its classes in label order
   * @param data the classes of the data (or of the request)
   * @param notDefined classes of the data that the dataset does not define
   * @param notInData classes the dataset defines that the data lacks
   */
  public record Difference(
      String dataset,
      List<String> defined,
      List<String> data,
      List<String> notDefined,
      List<String> notInData) {}

  /** The mapping of a dataset's own classes: every label stays what it is. */
  public static ClassMapping identity(int classes) {
    int[] labels = new int[classes];
    Arrays.setAll(labels, i -> i);
    return new ClassMapping(labels);
  }

  /**
   * Maps {@code dataClasses} (an import's classes in the reader's label order) onto {@code
   * dataset}'s classes by name.
   *
   * @param what the data in a refusal's words, e.g. {@code "image folder"}
   * @throws ServiceException 409 {@code taxonomy_mismatch} naming the classes of the data that the
   *     dataset does not define, and the defined ones the data lacks
   */
  public static ClassMapping of(DatasetDefinition dataset, List<String> dataClasses, String what) {
    int[] labels = new int[dataClasses.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = dataset.labelOf(dataClasses.get(i)).orElse(-1);
    }
    if (Arrays.stream(labels).anyMatch(l -> l < 0)) {
      Difference d = difference(dataset, dataClasses);
      StringBuilder message =
          new StringBuilder(what)
              .append(" has classes ")
              .append(d.notDefined())
              .append(" that dataset '")
              .append(dataset.name())
              .append("' does not define (defined: ")
              .append(String.join(", ", dataset.classes()))
              .append(")");
      if (!d.notInData().isEmpty()) {
        message
            .append("; it defines ")
            .append(d.notInData())
            .append(", which the ")
            .append(what)
            .append(" lacks (that alone is fine)");
      }
      throw ServiceException.conflict("taxonomy_mismatch", message.toString()).withDetails(d);
    }
    return new ClassMapping(labels);
  }

  /** What sets the classes of {@code other} apart from {@code dataset}'s, ignoring case. */
  public static Difference difference(DatasetDefinition dataset, List<String> other) {
    Set<String> defined = keys(dataset.classes());
    Set<String> data = keys(other);
    List<String> notDefined = new ArrayList<>();
    for (String c : other) {
      if (!defined.contains(key(c))) {
        notDefined.add(c);
      }
    }
    List<String> notInData = new ArrayList<>();
    for (String c : dataset.classes()) {
      if (!data.contains(key(c))) {
        notInData.add(c);
      }
    }
    return new Difference(
        dataset.name(), dataset.classes(), List.copyOf(other), notDefined, notInData);
  }

  /** The dataset's label of a label of the data; {@code -1} (no label) stays {@code -1}. */
  public int label(int dataLabel) {
    if (dataLabel < 0) {
      return dataLabel;
    }
    if (dataLabel >= labels.length) {
      throw ServiceException.badRequest(
          "label_outside_taxonomy",
          "label " + dataLabel + " is outside the data's " + labels.length + " classes");
    }
    return labels[dataLabel];
  }

  private static Set<String> keys(List<String> classes) {
    Set<String> keys = new TreeSet<>();
    classes.forEach(c -> keys.add(key(c)));
    return keys;
  }

  private static String key(String name) {
    return name.trim().toLowerCase(Locale.ROOT);
  }
}
