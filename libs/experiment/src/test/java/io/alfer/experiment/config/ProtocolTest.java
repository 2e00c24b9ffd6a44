package io.alfer.experiment.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.al.campaign.CampaignRules;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProtocolTest {
  private final Protocol paper = Profile.PAPER.protocol();

  @Test
  void sizesFollowTheRuleSharedWithTheSelectService() {
    // 28,709 is FER2013's pool: 10% rounds to 2871, 5% to 1435 (1435.45)
    assertThat(paper.initialCount(28_709)).isEqualTo(2871);
    assertThat(paper.budgetCount(28_709)).isEqualTo(1435);
    Protocol fixed = paper.toBuilder().initialSize(100).budgetSize(30).build();
    assertThat(fixed.initialCount(28_709)).isEqualTo(100);
    assertThat(fixed.budgetCount(28_709)).isEqualTo(30);
    // a fraction clears a fixed size again
    assertThat(fixed.toBuilder().initialFraction(0.2).build().initialCount(1000)).isEqualTo(200);
    assertThat(CampaignRules.size(0, 0.05, 30)).isEqualTo(2); // 1.5 rounds half up
  }

  @Test
  void thePaperProfileIsThePapersProtocol() {
    assertThat(paper.encoderPreset()).isEqualTo("resnet18");
    assertThat(paper.imageSize()).isZero();
    assertThat(paper.initialFraction()).isEqualTo(0.10);
    assertThat(paper.budgetFraction()).isEqualTo(0.05);
    assertThat(paper.rounds()).isEqualTo(7);
    assertThat(paper.finetuning().config(1).epochs()).isEqualTo(200);
    assertThat(paper.finetuning().config(1).batchSize()).isEqualTo(20);
    assertThat(Profile.PAPER.seeds()).hasSize(3);
    assertThat(Profile.PAPER.strategies())
        .containsExactly(
            "random",
            "entropy",
            "margin",
            "least-confidence",
            "bald",
            "badge",
            "glister",
            "coreset",
            "deepfool",
            "typiclust",
            "probcover");
  }

  @Test
  void onlyPretrainedColdStartStrategiesChooseTheirOwnInitialSet() {
    assertThat(paper.choosesOwnInitialSet("typiclust", Mode.PRETRAINED)).isTrue();
    assertThat(paper.choosesOwnInitialSet("probcover", Mode.PRETRAINED)).isTrue();
    assertThat(paper.choosesOwnInitialSet("typiclust", Mode.SCRATCH)).isFalse();
    assertThat(paper.choosesOwnInitialSet("badge", Mode.PRETRAINED)).isFalse();
    Protocol off = paper.toBuilder().coldStart(false).build();
    assertThat(off.choosesOwnInitialSet("typiclust", Mode.PRETRAINED)).isFalse();
  }

  @Test
  void badSettingsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> paper.toBuilder().dataset("Bad Name").build())
        .hasMessageContaining("dataset name 'Bad Name' is not valid");
    assertThatThrownBy(() -> paper.toBuilder().encoderPreset("resnet50").build())
        .hasMessageContaining("unknown encoder preset 'resnet50'");
    assertThatThrownBy(() -> paper.toBuilder().initialFraction(0).build())
        .hasMessageContaining("initial needs a size > 0 or a fraction");
    assertThatThrownBy(
            () ->
                paper.toBuilder()
                    .strategyParameters(Map.of("typiclust", Map.of("neighbors", "3")))
                    .build())
        .hasMessageContaining("neighbors");
    assertThatThrownBy(() -> new FinetuneSettings("fast", 0, 0, 0))
        .hasMessageContaining("unknown fine-tuning preset 'fast'");
    assertThatThrownBy(
            () ->
                new ExperimentPlan(
                    paper, List.of("entropy", "entropy"), List.of(Mode.SCRATCH), List.of(1L)))
        .hasMessageContaining("listed twice");
    assertThatThrownBy(
            () ->
                new ExperimentPlan(
                    paper, List.of("uncertainty"), List.of(Mode.SCRATCH), List.of(1L)))
        .hasMessageContaining("unknown strategy 'uncertainty'");
  }

  @Test
  void cellsRunSeedBySeedWithBothModesSideBySide() {
    ExperimentPlan plan =
        new ExperimentPlan(
            paper,
            List.of("random", "badge"),
            List.of(Mode.SCRATCH, Mode.PRETRAINED),
            List.of(1L, 2L));
    assertThat(plan.cells().stream().map(Cell::fileKey))
        .containsExactly(
            "random-scratch-s1",
            "random-pretrained-s1",
            "badge-scratch-s1",
            "badge-pretrained-s1",
            "random-scratch-s2",
            "random-pretrained-s2",
            "badge-scratch-s2",
            "badge-pretrained-s2");
  }

  @Test
  void theDescriptionChangesWithEverySettingThatChangesTheNumbers() {
    assertThat(paper.describe()).isEqualTo(Profile.PAPER.protocol().describe());
    assertThat(paper.toBuilder().rounds(3).build().describe()).isNotEqualTo(paper.describe());
    assertThat(
            paper.toBuilder()
                .finetuning(new FinetuneSettings(FinetuneSettings.PAPER, 50, 0, 0))
                .build()
                .describe())
        .isNotEqualTo(paper.describe());
  }
}
