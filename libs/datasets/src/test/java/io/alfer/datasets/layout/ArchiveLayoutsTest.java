package io.alfer.datasets.layout;

import static io.alfer.datasets.layout.Fer2013CsvTest.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.alfer.datasets.ClassTaxonomy;
import io.alfer.datasets.DatasetRejectedException;
import io.alfer.datasets.DatasetRejectedException.Reason;
import io.alfer.datasets.Fixtures;
import io.alfer.datasets.archive.ArchiveLimits;
import io.alfer.datasets.image.ImageNormalizer;
import io.alfer.proto.v1.Split;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveLayoutsTest {

  private static final ClassTaxonomy FER7 = ClassTaxonomy.FER7;

  @TempDir Path dir;

  private final ImageNormalizer normalizer = new ImageNormalizer();

  @Test
  void readsRafDbPreferringAlignedImagesAndReportsGaps() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("basic/Image/aligned/train_00001_aligned.jpg", Fixtures.jpeg(40));
    files.put("basic/Image/original/train_00001.jpg", Fixtures.jpeg(60));
    files.put("basic/Image/aligned/test_0001_aligned.jpg", Fixtures.jpeg(80));
    files.put("basic/Image/aligned/train_09999_aligned.jpg", Fixtures.jpeg(100));
    files.put("basic/Annotation/manual/train_00001_manu_attri.txt", text("1 2 3"));
    files.put(
        "basic/EmoLabel/list_patition_label.txt",
        text("train_00001.jpg 4\ntest_0001.jpg 6\ntrain_00002.jpg 1\nbroken line here\n"));
    Path zip = Fixtures.zip(dir.resolve("raf.zip"), files);

    List<DatasetItem> items = read(zip, ImportOptions.detect(), Layout.RAFDB, FER7);

    List<DatasetEntry> entries = entries(items);
    assertThat(entries)
        .extracting(DatasetEntry::source, DatasetEntry::split, e -> FER7.name(e.label()))
        .containsExactly(
            tuple("basic/Image/aligned/train_00001_aligned.jpg", Split.SPLIT_POOL, "happy"),
            tuple("basic/Image/aligned/test_0001_aligned.jpg", Split.SPLIT_TEST, "angry"));
    assertThat(problems(items))
        .containsExactly(
            "basic/EmoLabel/list_patition_label.txt:4 BAD_LABEL_LINE",
            "basic/Image/aligned/train_09999_aligned.jpg UNLABELLED",
            "basic/EmoLabel/list_patition_label.txt:3 MISSING_IMAGE");
    assertThat(entries.get(0).image().normalizeWith(normalizer).sourceFormat()).isEqualTo("jpeg");
  }

  @Test
  void readsRafDbOriginalsFromATarGz() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("Image/original/test_0002.jpg", Fixtures.jpeg(70));
    files.put("EmoLabel/list_patition_label.txt", text("test_0002.jpg 7\n"));
    Path tarGz = Fixtures.tarGz(dir.resolve("raf.tar.gz"), files);

    List<DatasetEntry> entries = entries(read(tarGz, ImportOptions.detect(), Layout.RAFDB, FER7));

    assertThat(entries)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.label()).isEqualTo(FER7.indexOf("neutral"));
              assertThat(e.split()).isEqualTo(Split.SPLIT_TEST);
            });
  }

  @Test
  void readsKdefNamesAnywhereIntoTheChosenSplit() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("KDEF/AF01/AF01ANS.JPG", Fixtures.jpeg(50));
    files.put("KDEF/AM02/AM02HAHL.JPG", Fixtures.jpeg(90));
    files.put("other/BF03SUFR.JPG", Fixtures.jpeg(130));
    files.put("KDEF/AM02/portrait.jpg", Fixtures.jpeg(10));
    files.put("KDEF/readme.txt", text("Karolinska"));
    Path zip = Fixtures.zip(dir.resolve("kdef.zip"), files);

    List<DatasetItem> items =
        read(zip, ImportOptions.detect().withSplit(Split.SPLIT_TEST), Layout.KDEF, FER7);

    assertThat(entries(items))
        .extracting(e -> FER7.name(e.label()))
        .containsExactly("angry", "happy", "surprise");
    assertThat(entries(items)).allMatch(e -> e.split() == Split.SPLIT_TEST);
    assertThat(problems(items)).containsExactly("KDEF/AM02/portrait.jpg UNRECOGNISED_NAME");
  }

  @Test
  void readsImageFoldersWithSortedFolderClasses() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("faces/train/sad/1.png", Fixtures.encode(Fixtures.picture(30, 30, 20), "png"));
    files.put("faces/train/happy/2.jpg", Fixtures.jpeg(200));
    files.put("faces/val/angry/3.bmp", Fixtures.encode(Fixtures.picture(50, 40, 70), "bmp"));
    files.put("faces/test/happy/4.gif", Fixtures.encode(Fixtures.picture(20, 20, 120), "gif"));
    files.put("faces/train/happy/notes.txt", text("ignored"));
    files.put("faces/stray.png", Fixtures.encode(Fixtures.picture(10, 10, 5), "png"));
    files.put("faces/train/sad/broken.png", text("not really a png"));
    Path tarGz = Fixtures.tarGz(dir.resolve("folders.tar.gz"), files);
    ClassTaxonomy expected = ClassTaxonomy.of(List.of("angry", "happy", "sad"));

    List<DatasetItem> items = read(tarGz, ImportOptions.detect(), Layout.IMAGE_FOLDER, expected);

    List<DatasetEntry> entries = entries(items);
    assertThat(entries)
        .extracting(DatasetEntry::source, DatasetEntry::split, DatasetEntry::label)
        .containsExactly(
            tuple("faces/train/sad/1.png", Split.SPLIT_POOL, 2),
            tuple("faces/train/happy/2.jpg", Split.SPLIT_POOL, 1),
            tuple("faces/val/angry/3.bmp", Split.SPLIT_TEST, 0),
            tuple("faces/test/happy/4.gif", Split.SPLIT_TEST, 1),
            tuple("faces/train/sad/broken.png", Split.SPLIT_POOL, 2));
    assertThat(problems(items)).containsExactly("faces/stray.png UNEXPECTED_PATH");
    assertThat(entries.subList(0, 4))
        .allSatisfy(e -> assertThat(e.image().normalizeWith(normalizer).width()).isEqualTo(48));
    assertThatThrownBy(() -> entries.get(4).image().normalizeWith(normalizer))
        .hasMessageContaining("not an image");
  }

  @Test
  void reportsFilesOverThePerFileLimitAndGoesOn() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("train/a/big.png", new byte[5000]);
    files.put("train/a/small.jpg", new byte[100]);
    Path zip = Fixtures.zip(dir.resolve("limits.zip"), files);
    ImportOptions options =
        ImportOptions.detect().withLimits(new ArchiveLimits(100, 1 << 20, 1000));

    List<DatasetItem> items =
        read(zip, options, Layout.IMAGE_FOLDER, ClassTaxonomy.of(List.of("a")));

    assertThat(problems(items)).containsExactly("train/a/big.png TOO_LARGE");
    assertThat(entries(items))
        .extracting(DatasetEntry::source)
        .containsExactly("train/a/small.jpg");
  }

  @Test
  void refusesArchivesThatMatchNoLayoutOrNotTheChosenOne() throws IOException {
    Path unknown =
        Fixtures.zip(dir.resolve("misc.zip"), Map.of("photos/cat.jpg", Fixtures.jpeg(1)));
    assertRejected(unknown, ImportOptions.detect(), Reason.UNKNOWN_LAYOUT, "matches no layout");

    Path kdef = Fixtures.zip(dir.resolve("kdef.zip"), Map.of("AF01ANS.JPG", Fixtures.jpeg(1)));
    assertRejected(
        kdef,
        ImportOptions.detect().withLayout(Layout.RAFDB),
        Reason.LAYOUT_MISMATCH,
        "list_patition_label.txt");
    assertRejected(
        kdef,
        ImportOptions.detect().withLayout(Layout.IMAGE_FOLDER),
        Reason.LAYOUT_MISMATCH,
        "train/<class>");
    assertRejected(
        kdef, ImportOptions.detect().withLayout(Layout.FER2013_CSV), Reason.LAYOUT_MISMATCH, "CSV");
  }

  @Test
  void anExplicitLayoutOverridesDetection() throws IOException {
    Path kdefInFolders =
        Fixtures.zip(dir.resolve("both.zip"), Map.of("train/happy/AF01ANS.JPG", Fixtures.jpeg(1)));
    assertThat(
            read(
                kdefInFolders,
                ImportOptions.detect(),
                Layout.IMAGE_FOLDER,
                ClassTaxonomy.of(List.of("happy"))))
        .hasSize(1);
    List<DatasetEntry> asKdef =
        entries(
            read(kdefInFolders, ImportOptions.detect().withLayout(Layout.KDEF), Layout.KDEF, FER7));
    assertThat(asKdef)
        .singleElement()
        .extracting(DatasetEntry::label)
        .isEqualTo(FER7.indexOf("angry"));
  }

  private static List<DatasetItem> read(
      Path file, ImportOptions options, Layout layout, ClassTaxonomy taxonomy) {
    try (DatasetReader reader = DatasetImporter.open(file, options)) {
      assertThat(reader.layout()).isEqualTo(layout);
      assertThat(reader.taxonomy()).isEqualTo(taxonomy);
      return reader.stream().toList();
    }
  }

  private static List<String> problems(List<DatasetItem> items) {
    return items.stream()
        .filter(EntryError.class::isInstance)
        .map(EntryError.class::cast)
        .map(e -> e.source() + " " + e.problem())
        .toList();
  }

  private static void assertRejected(Path file, ImportOptions options, Reason reason, String text) {
    assertThatThrownBy(() -> DatasetImporter.open(file, options).close())
        .isInstanceOfSatisfying(
            DatasetRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(text);
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
