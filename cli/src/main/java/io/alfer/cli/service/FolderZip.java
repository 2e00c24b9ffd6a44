package io.alfer.cli.service;

import io.alfer.cli.stack.StackException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A folder packed as one zip archive for upload, entries named by their path below the folder (so
 * {@code train/happy/001.png} stays an image-folder layout). Images are compressed already, so
 * entries are stored without compression; hidden files and folders (a name starting with {@code .},
 * such as {@code .DS_Store}) are left out.
 */
public final class FolderZip {
  private FolderZip() {}

  /** The regular files that go in, in path order. */
  public static List<Path> files(Path folder) {
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !hidden(folder.relativize(p)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new StackException("cannot read the folder " + folder + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code files} of {@code folder} into the zip {@code target}.
   *
   * @param packed told the number of files written so far
   */
  public static void write(Path folder, List<Path> files, Path target, IntConsumer packed) {
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(target), 1 << 20);
        ZipOutputStream zip = new ZipOutputStream(os)) {
      zip.setLevel(Deflater.NO_COMPRESSION);
      int n = 0;
      for (Path file : files) {
        zip.putNextEntry(new ZipEntry(entryName(folder.relativize(file))));
        Files.copy(file, zip);
        zip.closeEntry();
        packed.accept(++n);
      }
    } catch (IOException e) {
      throw new StackException("cannot pack " + folder + " into " + target + ": " + e, e);
    }
  }

  static String entryName(Path relative) {
    StringBuilder name = new StringBuilder();
    for (Path part : relative) {
      if (name.length() > 0) {
        name.append('/');
      }
      name.append(part);
    }
    return name.toString();
  }

  static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
