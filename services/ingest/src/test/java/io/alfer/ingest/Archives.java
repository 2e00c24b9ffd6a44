package io.alfer.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Small archives built in tests: path → bytes, in insertion order. */
final class Archives {
  private final Map<String, byte[]> entries = new LinkedHashMap<>();

  Archives add(String path, byte[] bytes) {
    entries.put(path, bytes);
    return this;
  }

  byte[] zip() {
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (var e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
      zip.finish();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  byte[] tarGz() {
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
      try (TarArchiveOutputStream tar =
          new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (var e : entries.entrySet()) {
          TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
          entry.setSize(e.getValue().length);
          tar.putArchiveEntry(entry);
          tar.write(e.getValue());
          tar.closeArchiveEntry();
        }
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
