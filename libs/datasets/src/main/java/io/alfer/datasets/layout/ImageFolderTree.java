package io.alfer.datasets.layout;

import io.alfer.datasets.ClassTaxonomy;
import io.alfer.proto.v1.Split;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The {@code <root>/{train,val|test}/<class>/<image>} structure of an image-folder archive. The
 * root is the folder holding the shallowest {@code train} folder; classes are the class folder
 * names found under any split, sorted.
 */
final class ImageFolderTree {

  private final String root;
  private final ClassTaxonomy taxonomy;

  private ImageFolderTree(String root, ClassTaxonomy taxonomy) {
    this.root = root;
    this.taxonomy = taxonomy;
  }

  /** The tree of these image paths, or empty when no image lies in {@code train/<class>/}. */
  static Optional<ImageFolderTree> of(List<String> imagePaths) {
    String root = null;
    for (String path : imagePaths) {
      String[] segments = path.split("/");
      int split = segments.length - 3;
      if (split >= 0 && segments[split].equalsIgnoreCase("train")) {
        String candidate = String.join("/", List.of(segments).subList(0, split));
        if (root == null || depth(candidate) < depth(root)) {
          root = candidate;
        }
      }
    }
    if (root == null) {
      return Optional.empty();
    }
    TreeSet<String> classes = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    for (String path : imagePaths) {
      String relative = relative(root, path);
      if (relative != null && splitOf(relative.split("/")[0]) != null) {
        classes.add(relative.split("/")[1]);
      }
    }
    return Optional.of(new ImageFolderTree(root, ClassTaxonomy.of(List.copyOf(classes))));
  }

  /** Classes in sorted order. */
  ClassTaxonomy taxonomy() {
    return taxonomy;
  }

  /** Split and label of an image path, or empty when it is outside the structure. */
  Optional<Placement> place(String path) {
    String relative = relative(root, path);
    if (relative == null) {
      return Optional.empty();
    }
    String[] segments = relative.split("/");
    Split split = splitOf(segments[0]);
    return split == null
        ? Optional.empty()
        : Optional.of(new Placement(split, taxonomy.indexOf(segments[1])));
  }

  /** Where an image goes. */
  record Placement(Split split, int label) {}

  /** {@code split/class/file} below the root, or {@code null} when the path is not that shape. */
  private static String relative(String root, String path) {
    String prefix = root.isEmpty() ? "" : root + "/";
    if (!path.startsWith(prefix)) {
      return null;
    }
    String relative = path.substring(prefix.length());
    return relative.split("/").length == 3 ? relative : null;
  }

  private static Split splitOf(String folder) {
    return switch (folder.toLowerCase(Locale.ROOT)) {
      case "train" -> Split.SPLIT_POOL;
      case "val", "valid", "validation", "test" -> Split.SPLIT_TEST;
      default -> null;
    };
  }

  private static int depth(String path) {
    return path.isEmpty() ? 0 : path.split("/").length;
  }
}
