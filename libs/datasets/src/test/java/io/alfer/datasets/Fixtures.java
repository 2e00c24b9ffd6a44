package io.alfer.datasets;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Test inputs built on the fly: small images and archives. */
public final class Fixtures {

  private Fixtures() {}

  /** A colour picture: a disc of {@code shade} on a contrasting background. */
  public static BufferedImage picture(int width, int height, int shade) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(30, 90, 160));
    g.fillRect(0, 0, width, height);
    g.setColor(new Color(shade, shade, shade));
    g.fillOval(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    return image;
  }

  /** The image encoded with ImageIO in {@code format} (png, jpeg, bmp, gif). */
  public static byte[] encode(BufferedImage image, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JPEG of a {@code 64×64} picture. */
  public static byte[] jpeg(int shade) {
    return encode(picture(64, 64, shade), "jpeg");
  }

  /** A zip holding {@code files} (name → content) in iteration order. */
  public static Path zip(Path file, Map<String, byte[]> files) throws IOException {
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(file)) {
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        zip.putArchiveEntry(new ZipArchiveEntry(f.getKey()));
        zip.write(f.getValue());
        zip.closeArchiveEntry();
      }
    }
    return file;
  }

  /** A tar.gz holding {@code files} (name → content) in iteration order. */
  public static Path tarGz(Path file, Map<String, byte[]> files) throws IOException {
    try (OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(file))) {
      writeTar(out, files);
    }
    return file;
  }

  /** An uncompressed tar holding {@code files} (name → content) in iteration order. */
  public static Path tar(Path file, Map<String, byte[]> files) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      writeTar(out, files);
    }
    return file;
  }

  private static void writeTar(OutputStream out, Map<String, byte[]> files) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      TarArchiveEntry entry = new TarArchiveEntry(f.getKey(), true);
      entry.setSize(f.getValue().length);
      tar.putArchiveEntry(entry);
      tar.write(f.getValue());
      tar.closeArchiveEntry();
    }
    tar.finish();
  }
}
