package io.alfer.datasets.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.datasets.ClassTaxonomy;
import io.alfer.datasets.layout.EntryError.Problem;
import io.alfer.proto.v1.Split;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LabelMappingTest {

  private static final ClassTaxonomy FER7 = ClassTaxonomy.FER7;

  @Test
  void mapsRafDbBasicOrderToFer7() {
    String[] rafOrder = {"surprise", "fear", "disgust", "happy", "sad", "angry", "neutral"};
    for (int raf = 1; raf <= 7; raf++) {
      assertThat(FER7.name(RafDbLabels.toFer7(raf))).isEqualTo(rafOrder[raf - 1]);
    }
    assertThatThrownBy(() -> RafDbLabels.toFer7(0)).hasMessageContaining("1..7");
  }

  @Test
  void matchesAlignedAndOriginalRafDbNames() {
    assertThat(RafDbLabels.keyOf("train_00001_aligned.jpg")).isEqualTo("train_00001");
    assertThat(RafDbLabels.keyOf("train_00001.jpg")).isEqualTo("train_00001");
  }

  @Test
  void parsesTheRafDbLabelFileAndKeepsBadLines() {
    String text =
        "train_00001.jpg 5\r\ntest_0001.jpg 1\n\nval_1.jpg 2\ntrain_00002.jpg 9\n"
            + "train_00003.jpg x\ntrain_00001.jpg 4\nonlyonefield\n";
    RafDbLabels labels =
        RafDbLabels.parse("EmoLabel/list.txt", text.getBytes(StandardCharsets.UTF_8));

    assertThat(labels.find("train_00001"))
        .isEqualTo(
            new RafDbLabels.Labelled("train_00001", Split.SPLIT_POOL, FER7.indexOf("sad"), 1));
    assertThat(labels.find("test_0001").split()).isEqualTo(Split.SPLIT_TEST);
    assertThat(labels.find("test_0001").label()).isEqualTo(FER7.indexOf("surprise"));
    assertThat(labels.all()).hasSize(2);
    assertThat(labels.errors())
        .extracting(EntryError::source)
        .containsExactly(
            "EmoLabel/list.txt:4",
            "EmoLabel/list.txt:5",
            "EmoLabel/list.txt:6",
            "EmoLabel/list.txt:7",
            "EmoLabel/list.txt:8");
    assertThat(labels.errors()).allMatch(e -> e.problem() == Problem.BAD_LABEL_LINE);
    assertThat(labels.errors().get(1).message()).contains("9 is not in 1..7");
    assertThat(labels.errors().get(3).message()).contains("second time");
  }

  @Test
  void readsKdefFileNames() {
    KdefName name = KdefName.parse("AF01ANS.JPG").orElseThrow();
    assertThat(name).isEqualTo(new KdefName('A', 'F', 1, "AN", "S"));
    assertThat(name.fer7Label()).isEqualTo(FER7.indexOf("angry"));

    assertThat(label("BM12AFHL.JPG")).isEqualTo("fear");
    assertThat(label("AM05DIFR.jpg")).isEqualTo("disgust");
    assertThat(label("AF20HAFL.JPG")).isEqualTo("happy");
    assertThat(label("BF07NEHR.JPG")).isEqualTo("neutral");
    assertThat(label("AM31SAS.JPG")).isEqualTo("sad");
    assertThat(label("BF01SUS.JPEG")).isEqualTo("surprise");
    assertThat(KdefName.parse("BF01SUS.JPEG").orElseThrow().session()).isEqualTo('B');
  }

  @Test
  void refusesNonKdefNames() {
    assertThat(KdefName.parse("AF01XXS.JPG")).isEmpty();
    assertThat(KdefName.parse("CF01ANS.JPG")).isEmpty();
    assertThat(KdefName.parse("AF01ANQ.JPG")).isEmpty();
    assertThat(KdefName.parse("AF01ANS.txt")).isEmpty();
    assertThat(KdefName.parse("face.jpg")).isEmpty();
  }

  @Test
  void namesLayouts() {
    assertThat(Layout.fromId("RAFDB")).isEqualTo(Layout.RAFDB);
    assertThat(Layout.fromId("image-folder")).isEqualTo(Layout.IMAGE_FOLDER);
    assertThatThrownBy(() -> Layout.fromId("ck+")).hasMessageContaining("fer2013-csv");
  }

  private static String label(String fileName) {
    return FER7.name(KdefName.parse(fileName).orElseThrow().fer7Label());
  }
}
