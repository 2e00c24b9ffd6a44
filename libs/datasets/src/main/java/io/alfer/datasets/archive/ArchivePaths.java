package io.alfer.datasets.archive;

import io.alfer.datasets.DatasetRejectedException;
import io.alfer.datasets.DatasetRejectedException.Reason;
import java.util.ArrayDeque;
import java.util.Deque;

/** Normalises archive entry names and refuses those that would leave the archive root. */
public final class ArchivePaths {

  private ArchivePaths() {}

  /**
   * The entry name with {@code \} as {@code /}, and {@code .}, {@code ..} and empty segments
   * resolved; no leading or trailing slash.
   *
   * @throws DatasetRejectedException with {@link Reason#PATH_ESCAPE} for an absolute name (leading
   *     slash, drive letter) or one whose {@code ..} climbs above the root
   */
  public static String normalize(String entryName) {
    String name = entryName.replace('\\', '/');
    if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
      throw escape(entryName, "is absolute");
    }
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : name.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (segments.isEmpty()) {
          throw escape(entryName, "climbs above the archive root");
        }
        segments.removeLast();
      } else {
        segments.addLast(segment);
      }
    }
    return String.join("/", segments);
  }

  /** The last segment of a normalised path. */
  public static String baseName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /**
   * Whether the path is operating-system clutter that no layout contains: macOS resource forks
   * ({@code __MACOSX/}, {@code ._*}), {@code .DS_Store}, {@code Thumbs.db}, {@code desktop.ini}.
   */
  public static boolean isClutter(String path) {
    String base = baseName(path);
    return path.startsWith("__MACOSX/")
        || path.contains("/__MACOSX/")
        || base.startsWith("._")
        || base.equals(".DS_Store")
        || base.equalsIgnoreCase("Thumbs.db")
        || base.equalsIgnoreCase("desktop.ini");
  }

  private static DatasetRejectedException escape(String entryName, String why) {
    return new DatasetRejectedException(
        Reason.PATH_ESCAPE, "archive entry '" + entryName + "' " + why + "; archive refused");
  }
}
