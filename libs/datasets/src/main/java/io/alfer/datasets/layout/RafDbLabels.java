package io.alfer.datasets.layout;

import io.alfer.datasets.ClassTaxonomy;
import io.alfer.datasets.layout.EntryError.Problem;
import io.alfer.proto.v1.Split;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The RAF-DB basic label file {@code list_patition_label.txt}: lines {@code train_00001.jpg 5}
 * whose label uses RAF-DB's own order (1 surprise, 2 fear, 3 disgust, 4 happiness, 5 sadness, 6
 * anger, 7 neutral); {@code train_} images go to the pool, {@code test_} images to test.
 */
public final class RafDbLabels {

  /** The label file's name. */
  public static final String FILE_NAME = "list_patition_label.txt";

  private static final int[] FER7_BY_RAF = {
    ClassTaxonomy.SURPRISE,
    ClassTaxonomy.FEAR,
    ClassTaxonomy.DISGUST,
    ClassTaxonomy.HAPPY,
    ClassTaxonomy.SAD,
    ClassTaxonomy.ANGRY,
    ClassTaxonomy.NEUTRAL
  };

  /**
   * A labelled image of the list.
   *
   * @param key image key: the file name without extension, e.g. {@code train_00001}
   * @param split pool for {@code train_}, test for {@code test_}
   * @param label FER7 label
   * @param line line number in the label file
   */
  public record Labelled(String key, Split split, int label, int line) {}

  private final Map<String, Labelled> byKey;
  private final List<EntryError> errors;

  private RafDbLabels(Map<String, Labelled> byKey, List<EntryError> errors) {
    this.byKey = byKey;
    this.errors = errors;
  }

  /**
   * The FER7 label of a RAF-DB basic label.
   *
   * @throws IllegalArgumentException when the label is not in 1..7
   */
  public static int toFer7(int rafLabel) {
    if (rafLabel < 1 || rafLabel > FER7_BY_RAF.length) {
      throw new IllegalArgumentException("RAF-DB basic label " + rafLabel + " is not in 1..7");
    }
    return FER7_BY_RAF[rafLabel - 1];
  }

  /**
   * The image key of a RAF-DB image name: the base name without extension and without the {@code
   * _aligned} suffix, so {@code train_00001.jpg} and {@code train_00001_aligned.jpg} match.
   */
  public static String keyOf(String fileName) {
    int dot = fileName.lastIndexOf('.');
    String stem = dot < 0 ? fileName : fileName.substring(0, dot);
    return stem.endsWith("_aligned")
        ? stem.substring(0, stem.length() - "_aligned".length())
        : stem;
  }

  /** Parses a label file; malformed lines are kept as {@link #errors()}. */
  public static RafDbLabels parse(String source, byte[] content) {
    Map<String, Labelled> byKey = new LinkedHashMap<>();
    List<EntryError> errors = new ArrayList<>();
    String[] lines = new String(content, StandardCharsets.UTF_8).split("\\R");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      String where = source + ":" + (i + 1);
      String problem = parseLine(line, i + 1, byKey);
      if (problem != null) {
        errors.add(
            new EntryError(where, Problem.BAD_LABEL_LINE, "line " + (i + 1) + " " + problem));
      }
    }
    return new RafDbLabels(byKey, errors);
  }

  private static String parseLine(String line, int number, Map<String, Labelled> byKey) {
    String[] parts = line.split("\\s+");
    if (parts.length != 2) {
      return "'" + line + "' is not '<image> <label>'";
    }
    String key = keyOf(parts[0]);
    Split split;
    if (key.startsWith("train_")) {
      split = Split.SPLIT_POOL;
    } else if (key.startsWith("test_")) {
      split = Split.SPLIT_TEST;
    } else {
      return "image '" + parts[0] + "' starts with neither train_ nor test_";
    }
    int rafLabel;
    try {
      rafLabel = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      return "label '" + parts[1] + "' is not a number 1..7";
    }
    if (rafLabel < 1 || rafLabel > 7) {
      return "label " + rafLabel + " is not in 1..7";
    }
    if (byKey.putIfAbsent(key, new Labelled(key, split, toFer7(rafLabel), number)) != null) {
      return "lists '" + parts[0] + "' a second time";
    }
    return null;
  }

  /** The entry for an image key, or {@code null} when the list does not name it. */
  public Labelled find(String key) {
    return byKey.get(key);
  }

  /** Every listed image, in file order. */
  public List<Labelled> all() {
    return List.copyOf(byKey.values());
  }

  /** Malformed lines. */
  public List<EntryError> errors() {
    return errors;
  }
}
