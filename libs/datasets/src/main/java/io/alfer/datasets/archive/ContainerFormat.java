package io.alfer.datasets.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** How an uploaded file is packed, recognised from its first bytes, never its name. */
public enum ContainerFormat {
  /** A zip archive. */
  ZIP,
  /** An uncompressed tar archive. */
  TAR,
  /** A gzip-compressed tar archive. */
  TAR_GZ,
  /** A single gzip-compressed file that is not a tar archive (e.g. a CSV). */
  GZIP,
  /** Anything else: a single uncompressed file. */
  PLAIN;

  private static final int TAR_HEADER = 512;

  /** Lower-case name with '-' for '_': zip, tar, tar-gz, gzip, plain. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Whether this is an archive of several entries. */
  public boolean isArchive() {
    return this == ZIP || this == TAR || this == TAR_GZ;
  }

  /**
   * The container format of a file.
   *
   * @throws IOException when the file cannot be read
   */
  public static ContainerFormat detect(Path file) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(TAR_HEADER);
    }
    if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && isZipRecord(head[2], head[3])) {
      return ZIP;
    }
    if (GzipCompressorInputStream.matches(head, head.length)) {
      return isTar(gunzippedHead(file)) ? TAR_GZ : GZIP;
    }
    return isTar(head) ? TAR : PLAIN;
  }

  /** Local file header, empty archive, or spanned-archive marker. */
  private static boolean isZipRecord(byte third, byte fourth) {
    return (third == 3 && fourth == 4)
        || (third == 5 && fourth == 6)
        || (third == 7 && fourth == 8);
  }

  private static byte[] gunzippedHead(Path file) throws IOException {
    try (InputStream in = new GzipCompressorInputStream(Files.newInputStream(file))) {
      return in.readNBytes(TAR_HEADER);
    } catch (IOException e) {
      return new byte[0]; // not decompressible: not a tar.gz; reading it will report the damage
    }
  }

  private static boolean isTar(byte[] head) {
    return head.length == TAR_HEADER && TarArchiveInputStream.matches(head, head.length);
  }
}
