package io.alfer.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassTaxonomyTest {

  @Test
  void fer7FollowsFer2013LabelOrder() {
    assertThat(ClassTaxonomy.FER7.classes())
        .containsExactly("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral");
    assertThat(ClassTaxonomy.FER7.name(ClassTaxonomy.SURPRISE)).isEqualTo("surprise");
    assertThat(ClassTaxonomy.FER7.indexOf("neutral")).isEqualTo(ClassTaxonomy.NEUTRAL);
  }

  @Test
  void looksUpNamesIgnoringCaseAndBlanks() {
    assertThat(ClassTaxonomy.FER7.indexOf(" HaPPy ")).isEqualTo(3);
    assertThat(ClassTaxonomy.FER7.find("contempt")).isEmpty();
  }

  @Test
  void refusesUnknownNamesAndLabelsWithTheKnownOnes() {
    assertThatThrownBy(() -> ClassTaxonomy.FER7.indexOf("contempt"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("contempt")
        .hasMessageContaining("angry");
    assertThatThrownBy(() -> ClassTaxonomy.FER7.name(7)).hasMessageContaining("0..6");
    assertThat(ClassTaxonomy.FER7.isLabel(-1)).isFalse();
  }

  @Test
  void refusesNamesThatRepeatIgnoringCase() {
    assertThatThrownBy(() -> ClassTaxonomy.of(List.of("cat", "Cat")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("repeats class 0");
    assertThatThrownBy(() -> ClassTaxonomy.of(List.of())).hasMessageContaining("at least one");
  }

  @Test
  void roundTripsThroughProtobuf() {
    assertThat(ClassTaxonomy.fromProto(ClassTaxonomy.FER7.toProto())).isEqualTo(ClassTaxonomy.FER7);
    assertThat(ClassTaxonomy.FER7.toProto().getClassesCount()).isEqualTo(7);
  }
}
