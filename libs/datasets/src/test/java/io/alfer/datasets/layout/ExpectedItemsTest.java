package io.alfer.datasets.layout;

import static org.assertj.core.api.Assertions.assertThat;

import io.alfer.datasets.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readers know how many items are coming, for progress reports. */
class ExpectedItemsTest {
  @TempDir Path dir;

  @Test
  void aPlainCsvCountsItsRowsWithOrWithoutAFinalNewline() throws IOException {
    String pixels = "0 ".repeat(48 * 48 - 1) + "0";
    String rows = "emotion,pixels,Usage\n" + ("3," + pixels + ",Training\n").repeat(4);
    Path withNewline = Files.writeString(dir.resolve("a.csv"), rows, StandardCharsets.UTF_8);
    Path without = Files.writeString(dir.resolve("b.csv"), rows.strip(), StandardCharsets.UTF_8);
    try (DatasetReader a = DatasetImporter.open(withNewline, ImportOptions.detect());
        DatasetReader b = DatasetImporter.open(without, ImportOptions.detect())) {
      assertThat(a.expectedItems()).isEqualTo(4);
      assertThat(b.expectedItems()).isEqualTo(4);
    }
  }

  @Test
  void anImageArchiveCountsItsImages() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("train/happy/1.jpg", Fixtures.jpeg(10));
    files.put("train/sad/2.jpg", Fixtures.jpeg(20));
    files.put("test/sad/3.jpg", Fixtures.jpeg(30));
    files.put("README.txt", "not counted".getBytes(StandardCharsets.UTF_8));
    try (DatasetReader reader =
        DatasetImporter.open(Fixtures.zip(dir.resolve("f.zip"), files), ImportOptions.detect())) {
      assertThat(reader.expectedItems()).isEqualTo(3);
      long read = reader.stream().count();
      assertThat(read).isEqualTo(reader.expectedItems());
    }
  }
}
