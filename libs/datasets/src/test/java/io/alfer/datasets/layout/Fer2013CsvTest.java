package io.alfer.datasets.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.datasets.DatasetRejectedException;
import io.alfer.datasets.DatasetRejectedException.Reason;
import io.alfer.datasets.Fixtures;
import io.alfer.datasets.image.ImageNormalizer;
import io.alfer.datasets.image.NormalizedImage;
import io.alfer.datasets.layout.EntryError.Problem;
import io.alfer.proto.v1.Split;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Fer2013CsvTest {

  @TempDir Path dir;

  private static final String CSV =
      "emotion,pixels,Usage\r\n"
          + row(3, 7)
          + ",Training\r\n" // line 2: ok
          + row(0, 9)
          + ",PublicTest\r\n" // line 3: ok
          + "\r\n" // line 4: blank, skipped
          + "6,"
          + pixels(10).substring(4)
          + ",Training\r\n" // line 5: too few pixels
          + "2,"
          + pixels(11).replaceFirst("\\d+", "x1")
          + ",PrivateTest\r\n" // 6: not a number
          + "7,"
          + pixels(12)
          + ",Training\r\n" // line 7: label out of range
          + "1,"
          + pixels(13)
          + ",Validation\r\n" // line 8: unknown usage
          + "1,"
          + pixels(14).replaceFirst("\\d+", "256")
          + ",Training\r\n" // 9: over 255
          + "4,"
          + pixels(15)
          + "\r\n" // line 10: missing field
          + row(5, 16)
          + ",PrivateTest\r\n"; // line 11: ok

  @Test
  void streamsGoodRowsAndReportsBadRowsByLine() throws IOException {
    Path csv = Files.writeString(dir.resolve("fer2013.csv"), CSV);
    List<DatasetItem> items;
    try (DatasetReader reader = DatasetImporter.open(csv, ImportOptions.detect())) {
      assertThat(reader.layout()).isEqualTo(Layout.FER2013_CSV);
      assertThat(reader.taxonomy().size()).isEqualTo(7);
      items = reader.stream().toList();
    }
    List<DatasetEntry> entries = entries(items);
    assertThat(entries)
        .extracting(DatasetEntry::source)
        .containsExactly("fer2013.csv:2", "fer2013.csv:3", "fer2013.csv:11");
    assertThat(entries).extracting(DatasetEntry::label).containsExactly(3, 0, 5);
    assertThat(entries)
        .extracting(DatasetEntry::split)
        .containsExactly(Split.SPLIT_POOL, Split.SPLIT_TEST, Split.SPLIT_TEST);
    ImageData.GrayPixels first = (ImageData.GrayPixels) entries.get(0).image();
    assertThat(first.pixels()[5] & 0xff).isEqualTo((7 + 5) % 256);

    Map<String, String> errors = errors(items);
    assertThat(errors.keySet())
        .containsExactly(
            "fer2013.csv:5",
            "fer2013.csv:6",
            "fer2013.csv:7",
            "fer2013.csv:8",
            "fer2013.csv:9",
            "fer2013.csv:10");
    assertThat(errors.get("fer2013.csv:5")).contains("line 5").contains("2303 pixels");
    assertThat(errors.get("fer2013.csv:6")).contains("not a number");
    assertThat(errors.get("fer2013.csv:7")).contains("emotion '7'");
    assertThat(errors.get("fer2013.csv:8")).contains("Usage 'Validation'");
    assertThat(errors.get("fer2013.csv:9")).contains("256, over 255");
    assertThat(errors.get("fer2013.csv:10")).contains("2 fields");
    assertThat(items)
        .filteredOn(EntryError.class::isInstance)
        .allMatch(e -> ((EntryError) e).problem() == Problem.BAD_ROW);
  }

  @Test
  void aFileStandingForAnUploadIsNamedAsTheUpload() throws IOException {
    Path temporary = Files.writeString(dir.resolve("alfer-import-123.upload"), CSV);
    try (DatasetReader reader =
        DatasetImporter.open(temporary, "faces.csv", ImportOptions.detect())) {
      assertThat(reader.stream().map(DatasetItem::source).toList())
          .startsWith("faces.csv:2", "faces.csv:3")
          .noneMatch(source -> source.contains("alfer-import"));
    }
    Path text = Files.writeString(dir.resolve("alfer-import-456.upload"), "just text\n");
    assertThatThrownBy(() -> DatasetImporter.open(text, "notes.txt", ImportOptions.detect()))
        .hasMessage("notes.txt is neither an archive (zip, tar, tar.gz) nor a FER2013 CSV");
  }

  @Test
  void rowsNormaliseToTheirOwnPixels() throws IOException {
    Path csv = Files.writeString(dir.resolve("fer2013.csv"), CSV);
    try (DatasetReader reader = DatasetImporter.open(csv, ImportOptions.detect())) {
      DatasetEntry entry = (DatasetEntry) reader.next();
      NormalizedImage image = entry.image().normalizeWith(new ImageNormalizer());
      assertThat(image.sourceFormat()).isEqualTo("fer2013-csv");
      assertThat(image.pixels()).isEqualTo(((ImageData.GrayPixels) entry.image()).pixels());
    }
  }

  @Test
  void readsAGzippedCsvAndACsvInsideATarGz() throws IOException {
    Path gz = dir.resolve("fer2013.csv.gz");
    try (OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(gz))) {
      out.write(CSV.getBytes(StandardCharsets.US_ASCII));
    }
    Path tarGz =
        Fixtures.tarGz(
            dir.resolve("fer2013.tar.gz"),
            Map.of(
                "fer2013/fer2013.csv",
                CSV.getBytes(StandardCharsets.US_ASCII),
                "fer2013/README",
                "hello".getBytes(StandardCharsets.US_ASCII)));
    for (Path file : List.of(gz, tarGz)) {
      try (DatasetReader reader = DatasetImporter.open(file, ImportOptions.detect())) {
        List<DatasetItem> items = reader.stream().toList();
        assertThat(reader.layout()).isEqualTo(Layout.FER2013_CSV);
        assertThat(entries(items)).hasSize(3);
        assertThat(errors(items)).hasSize(6);
      }
    }
    try (DatasetReader reader = DatasetImporter.open(tarGz, ImportOptions.detect())) {
      assertThat(reader.next().source()).isEqualTo("fer2013/fer2013.csv:2");
    }
  }

  @Test
  void usesTheDefaultSplitWithoutAUsageColumnAndNoLabelWithoutEmotion() {
    String csv = "pixels,emotion\n" + pixels(1) + ",4\n";
    try (Fer2013CsvReader reader = reader(csv, Split.SPLIT_TEST)) {
      DatasetEntry entry = (DatasetEntry) reader.next();
      assertThat(entry.split()).isEqualTo(Split.SPLIT_TEST);
      assertThat(entry.label()).isEqualTo(4);
      assertThat(reader.hasNext()).isFalse();
    }
    try (Fer2013CsvReader reader =
        reader("Usage,pixels\nTraining," + pixels(2) + "\n", Split.SPLIT_POOL)) {
      DatasetEntry entry = (DatasetEntry) reader.next();
      assertThat(entry.labelled()).isFalse();
    }
  }

  @Test
  void refusesAFileThatIsNotAFerCsv() throws IOException {
    Path other = Files.writeString(dir.resolve("people.csv"), "name,age\nbob,3\n");
    assertThatThrownBy(() -> DatasetImporter.open(other, ImportOptions.detect()))
        .isInstanceOfSatisfying(
            DatasetRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NOT_A_DATASET));
    Path csv = Files.writeString(dir.resolve("fer.csv"), CSV);
    assertThatThrownBy(
            () -> DatasetImporter.open(csv, ImportOptions.detect().withLayout(Layout.KDEF)))
        .isInstanceOfSatisfying(
            DatasetRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.LAYOUT_MISMATCH));
  }

  @Test
  void reportsAnOverlongLineWithoutReadingItIntoMemory() {
    String csv = "emotion,pixels,Usage\n" + "1,".repeat(40_000) + "\n" + row(2, 3) + ",Training\n";
    try (Fer2013CsvReader reader = reader(csv, Split.SPLIT_POOL)) {
      EntryError error = (EntryError) reader.next();
      assertThat(error.message()).contains("longer than");
      assertThat(reader.next()).isInstanceOf(DatasetEntry.class);
    }
  }

  @Test
  void rowsCrossingBlocksWithQuotesBlanksAndMixedLineEndsParse() {
    StringBuilder csv = new StringBuilder("emotion,\"pixels\" , Usage\n");
    for (int i = 0; i < 120; i++) { // ~1 MB: rows cross the line reader's blocks
      csv.append(i % 7).append(", \"").append(pixels(i)).append("\" ,");
      csv.append(i % 3 == 0 ? "PublicTest" : " Training ").append(i % 2 == 0 ? "\n" : "\r\n");
    }
    csv.append("1,").append(pixels(3)).append(",Validation\n\n  \t\n");
    csv.append("5,").append(pixels(5).replace(' ', '\t')).append(",Training");
    List<DatasetItem> items;
    try (Fer2013CsvReader reader = reader(csv.toString(), Split.SPLIT_POOL)) {
      items = reader.stream().toList();
    }
    assertThat(items).hasSize(122);
    for (int i = 0; i < 120; i++) {
      DatasetEntry entry = (DatasetEntry) items.get(i);
      assertThat(entry.source()).isEqualTo("t.csv:" + (i + 2));
      assertThat(entry.label()).isEqualTo(i % 7);
      assertThat(entry.split()).isEqualTo(i % 3 == 0 ? Split.SPLIT_TEST : Split.SPLIT_POOL);
      assertThat(((ImageData.GrayPixels) entry.image()).pixels()).isEqualTo(levels(i));
    }
    assertThat(((EntryError) items.get(120)).message())
        .isEqualTo("line 122 Usage 'Validation' is not Training, PublicTest or PrivateTest");
    DatasetEntry tabs = (DatasetEntry) items.get(121); // the careful parse: tabs between levels
    assertThat(tabs.source()).isEqualTo("t.csv:125"); // after blank lines 123 and 124
    assertThat(((ImageData.GrayPixels) tabs.image()).pixels()).isEqualTo(levels(5));
  }

  private static Fer2013CsvReader reader(String csv, Split split) {
    return new Fer2013CsvReader(
        new java.io.ByteArrayInputStream(csv.getBytes(StandardCharsets.US_ASCII)), "t.csv", split);
  }

  static String row(int label, int seed) {
    return label + "," + pixels(seed);
  }

  static String pixels(int seed) {
    return IntStream.range(0, 48 * 48)
        .mapToObj(i -> Integer.toString((seed + i) % 256))
        .collect(Collectors.joining(" "));
  }

  /** The gray levels {@link #pixels(int)} writes. */
  private static byte[] levels(int seed) {
    byte[] out = new byte[48 * 48];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) ((seed + i) % 256);
    }
    return out;
  }

  static List<DatasetEntry> entries(List<DatasetItem> items) {
    return items.stream()
        .filter(DatasetEntry.class::isInstance)
        .map(DatasetEntry.class::cast)
        .toList();
  }

  static Map<String, String> errors(List<DatasetItem> items) {
    return items.stream()
        .filter(EntryError.class::isInstance)
        .map(EntryError.class::cast)
        .collect(
            Collectors.toMap(
                EntryError::source,
                EntryError::message,
                (a, b) -> a,
                java.util.LinkedHashMap::new));
  }
}
