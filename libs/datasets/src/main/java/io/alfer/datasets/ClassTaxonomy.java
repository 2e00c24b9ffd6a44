package io.alfer.datasets;

import io.alfer.proto.v1.Taxonomy;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The ordered class names of a dataset; a label is an index into this list. Names are looked up
 * case-insensitively and must be unique ignoring case.
 */
public final class ClassTaxonomy {

  /**
   * The seven basic expressions in FER2013 label order (0 angry … 6 neutral), the default taxonomy
   * of every expression layout.
   */
  public static final ClassTaxonomy FER7 =
      of(List.of("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"));

  /** FER7 index of angry. */
  public static final int ANGRY = 0;

  /** FER7 index of disgust. */
  public static final int DISGUST = 1;

  /** FER7 index of fear. */
  public static final int FEAR = 2;

  /** FER7 index of happy. */
  public static final int HAPPY = 3;

  /** FER7 index of sad. */
  public static final int SAD = 4;

  /** FER7 index of surprise. */
  public static final int SURPRISE = 5;

  /** FER7 index of neutral. */
  public static final int NEUTRAL = 6;

  private final List<String> classes;
  private final Map<String, Integer> indexByKey;

  private ClassTaxonomy(List<String> classes) {
    if (classes.isEmpty()) {
      throw new IllegalArgumentException("a taxonomy needs at least one class");
    }
    this.classes = List.copyOf(classes);
    this.indexByKey = new HashMap<>();
    for (int i = 0; i < this.classes.size(); i++) {
      String name = this.classes.get(i);
      if (name.isBlank()) {
        throw new IllegalArgumentException("class " + i + " has a blank name");
      }
      Integer previous = indexByKey.putIfAbsent(key(name), i);
      if (previous != null) {
        throw new IllegalArgumentException(
            "class name '" + name + "' repeats class " + previous + " (names ignore case)");
      }
    }
  }

  /**
   * A taxonomy of the given names in label order.
   *
   * @throws IllegalArgumentException when the list is empty, a name is blank, or two names are
   *     equal ignoring case
   */
  public static ClassTaxonomy of(List<String> classes) {
    return new ClassTaxonomy(classes);
  }

  /** The taxonomy carried by a protobuf message. */
  public static ClassTaxonomy fromProto(Taxonomy taxonomy) {
    return of(taxonomy.getClassesList());
  }

  /** This taxonomy as the protobuf message. */
  public Taxonomy toProto() {
    return Taxonomy.newBuilder().addAllClasses(classes).build();
  }

  /** Class names in label order. */
  public List<String> classes() {
    return classes;
  }

  /** Number of classes. */
  public int size() {
    return classes.size();
  }

  /**
   * The name of a label.
   *
   * @throws IllegalArgumentException when the label is not in {@code 0..size()-1}
   */
  public String name(int label) {
    if (label < 0 || label >= classes.size()) {
      throw new IllegalArgumentException(
          "label " + label + " is outside 0.." + (classes.size() - 1) + " of " + classes);
    }
    return classes.get(label);
  }

  /** The label of a class name, ignoring case and surrounding blanks; empty when unknown. */
  public OptionalInt find(String name) {
    Integer index = indexByKey.get(key(name));
    return index == null ? OptionalInt.empty() : OptionalInt.of(index);
  }

  /**
   * The label of a class name, ignoring case and surrounding blanks.
   *
   * @throws IllegalArgumentException naming the class and the known classes when it is unknown
   */
  public int indexOf(String name) {
    return find(name)
        .orElseThrow(
            () -> new IllegalArgumentException("unknown class '" + name + "', known: " + classes));
  }

  /** Whether {@code label} is a valid index. */
  public boolean isLabel(int label) {
    return label >= 0 && label < classes.size();
  }

  private static String key(String name) {
    return name.strip().toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ClassTaxonomy that && classes.equals(that.classes);
  }

  @Override
  public int hashCode() {
    return classes.hashCode();
  }

  @Override
  public String toString() {
    return "ClassTaxonomy" + classes;
  }
}
