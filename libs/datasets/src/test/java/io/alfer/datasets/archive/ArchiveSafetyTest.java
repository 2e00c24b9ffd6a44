package io.alfer.datasets.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.datasets.DatasetRejectedException;
import io.alfer.datasets.DatasetRejectedException.Reason;
import io.alfer.datasets.Fixtures;
import io.alfer.datasets.layout.DatasetImporter;
import io.alfer.datasets.layout.ImportOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveSafetyTest {

  @TempDir Path dir;

  @Test
  void normalisesPathsAndRefusesEscapes() {
    assertThat(ArchivePaths.normalize("a\\b/./c//d.png")).isEqualTo("a/b/c/d.png");
    assertThat(ArchivePaths.normalize("a/x/../b.png")).isEqualTo("a/b.png");
    for (String bad : List.of("../evil.png", "a/../../evil.png", "/etc/passwd", "C:/x.png")) {
      assertThatThrownBy(() -> ArchivePaths.normalize(bad))
          .isInstanceOfSatisfying(
              DatasetRejectedException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.PATH_ESCAPE))
          .hasMessageContaining(bad);
    }
  }

  @Test
  void refusesAZipWithAnEscapingEntryBeforeReadingAnything() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("train/happy/a.jpg", Fixtures.jpeg(100));
    files.put("train/happy/../../../evil.jpg", Fixtures.jpeg(120));
    Path zip = Fixtures.zip(dir.resolve("evil.zip"), files);

    assertRejected(zip, ImportOptions.detect(), Reason.PATH_ESCAPE);
  }

  @Test
  void refusesATarWithAnAbsoluteEntry() throws IOException {
    Path tar = Fixtures.tar(dir.resolve("evil.tar"), Map.of("/tmp/evil.jpg", Fixtures.jpeg(1)));
    assertRejected(tar, ImportOptions.detect(), Reason.PATH_ESCAPE);
  }

  @Test
  void refusesTooManyEntries() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int i = 0; i < 6; i++) {
      files.put("notes/" + i + ".txt", new byte[] {1});
    }
    Path tarGz = Fixtures.tarGz(dir.resolve("many.tar.gz"), files);
    ImportOptions fiveAtMost =
        ImportOptions.detect().withLimits(new ArchiveLimits(5, 1 << 20, 1 << 20));

    assertRejected(tarGz, fiveAtMost, Reason.TOO_MANY_ENTRIES);
  }

  @Test
  void refusesTooManyUncompressedBytes() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("a.bin", new byte[600]);
    files.put("b.bin", new byte[600]);
    Path zip = Fixtures.zip(dir.resolve("big.zip"), files);
    ImportOptions kilobyte = ImportOptions.detect().withLimits(new ArchiveLimits(100, 1000, 1000));

    assertRejected(zip, kilobyte, Reason.TOO_LARGE);
  }

  @Test
  void walksTheSameFilesTwiceSkippingDirectoriesAndClutter() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("data/", new byte[0]);
    files.put("data/a.txt", "alpha".getBytes(StandardCharsets.UTF_8));
    files.put("__MACOSX/data/._a.txt", new byte[] {0});
    files.put("data/.DS_Store", new byte[] {0});
    files.put("data/b.txt", "beta".getBytes(StandardCharsets.UTF_8));
    for (ContainerFormat format : List.of(ContainerFormat.ZIP, ContainerFormat.TAR_GZ)) {
      Path file = dir.resolve("walk." + format.id());
      if (format == ContainerFormat.ZIP) {
        Fixtures.zip(file, files);
      } else {
        Fixtures.tarGz(file, files);
      }
      assertThat(ContainerFormat.detect(file)).isEqualTo(format);
      Archive archive = new Archive(file, format, ArchiveLimits.DEFAULT);
      assertThat(walk(archive)).containsExactly("data/a.txt=alpha", "data/b.txt=beta");
      assertThat(walk(archive)).hasSize(2);
    }
  }

  @Test
  void tellsContainersApartByContent() throws IOException {
    Path tar = Fixtures.tar(dir.resolve("x.zip"), Map.of("a.txt", new byte[] {1}));
    Path csv = Files.writeString(dir.resolve("x.tar"), "emotion,pixels,Usage\n");
    assertThat(ContainerFormat.detect(tar)).isEqualTo(ContainerFormat.TAR);
    assertThat(ContainerFormat.detect(csv)).isEqualTo(ContainerFormat.PLAIN);
  }

  @Test
  void reportsACorruptTarGz() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("train/happy/a.jpg", Fixtures.jpeg(100));
    byte[] bytes = Files.readAllBytes(Fixtures.tarGz(dir.resolve("ok.tar.gz"), files));
    Path cut =
        Files.write(dir.resolve("cut.tar.gz"), java.util.Arrays.copyOf(bytes, bytes.length - 30));

    assertRejected(cut, ImportOptions.detect(), Reason.CORRUPT_ARCHIVE);
  }

  private static List<String> walk(Archive archive) throws IOException {
    List<String> seen = new ArrayList<>();
    try (ArchiveCursor cursor = archive.cursor()) {
      for (ArchiveFile file = cursor.next(); file != null; file = cursor.next()) {
        seen.add(file.path() + "=" + new String(file.readAll(100), StandardCharsets.UTF_8));
      }
    }
    return seen;
  }

  private static void assertRejected(Path file, ImportOptions options, Reason reason) {
    assertThatThrownBy(() -> DatasetImporter.open(file, options).close())
        .isInstanceOfSatisfying(
            DatasetRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
