package io.alfer.experiment.services;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.alfer.experiment.config.Cell;
import io.alfer.experiment.config.Mode;
import io.alfer.experiment.config.Profile;
import io.alfer.experiment.config.Protocol;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exact request the services mode sends for a cell (the select service's contract). */
class CampaignRequestTest {
  private final Protocol protocol = Profile.PAPER.protocol().toBuilder().dataset("fer2013").build();
  private final Map<String, Object> identity = Map.of("protocol", protocol.describe());

  private JsonObject body(Cell cell, Protocol p, String baseModel) {
    String id = CampaignRequest.campaignId(identity, cell);
    Map<String, Object> body =
        CampaignRequest.body(
            id, p, cell, p.parametersOf(cell.strategy()), baseModel, 28_709, List.of("oracle"));
    return new Gson().toJsonTree(body).getAsJsonObject();
  }

  @Test
  void aScratchCellStartsFromTheRandomSetWithItsSeedAndNoBaseModel() {
    JsonObject json = body(new Cell("entropy", Mode.SCRATCH, 2), protocol, null);
    assertThat(json.keySet())
        .containsExactly(
            "campaignId",
            "dataset",
            "strategy",
            "strategyParameters",
            "initialStrategy",
            "initialFraction",
            "budgetFraction",
            "rounds",
            "totalBudget",
            "finetunePreset",
            "encoderPreset",
            "finetuneMaxEpochs",
            "seed",
            "vendors",
            "annotationsPerImage");
    assertThat(json.get("campaignId").getAsString()).matches("exp-[0-9a-f]{10}-entropy-scratch-s2");
    assertThat(json.get("dataset").getAsString()).isEqualTo("fer2013");
    assertThat(json.get("strategy").getAsString()).isEqualTo("entropy");
    assertThat(json.get("initialStrategy").getAsString()).isEqualTo("random");
    assertThat(json.get("initialFraction").getAsDouble()).isEqualTo(0.10);
    assertThat(json.get("budgetFraction").getAsDouble()).isEqualTo(0.05);
    assertThat(json.get("rounds").getAsInt()).isEqualTo(7);
    assertThat(json.get("totalBudget").getAsInt()).isEqualTo(2871 + 7 * 1435);
    assertThat(json.get("finetunePreset").getAsString()).isEqualTo("paper");
    assertThat(json.get("encoderPreset").getAsString()).isEqualTo("resnet18");
    assertThat(json.get("finetuneMaxEpochs").getAsInt()).as("no cap: the preset's length").isZero();
    assertThat(json.get("seed").getAsLong()).isEqualTo(2);
    assertThat(json.getAsJsonArray("vendors").get(0).getAsString()).isEqualTo("oracle");
    assertThat(json.get("annotationsPerImage").getAsInt()).isEqualTo(1);
  }

  @Test
  void aPretrainedColdStartCellChoosesItsOwnSetFromTheEncoder() {
    Protocol sized =
        protocol.toBuilder()
            .initialSize(500)
            .budgetSize(100)
            .strategyParameters(Map.of("typiclust", Map.of("max-clusters", "500")))
            .build();
    JsonObject json = body(new Cell("typiclust", Mode.PRETRAINED, 3), sized, "simclr-fer2013-x");
    assertThat(json.get("initialStrategy").getAsString()).isEqualTo("typiclust");
    assertThat(json.get("baseModelId").getAsString()).isEqualTo("simclr-fer2013-x");
    assertThat(json.get("initialSize").getAsInt()).isEqualTo(500);
    assertThat(json.get("budgetPerRound").getAsInt()).isEqualTo(100);
    assertThat(json.has("initialFraction")).isFalse();
    assertThat(json.get("totalBudget").getAsInt()).isEqualTo(500 + 7 * 100);
    assertThat(json.getAsJsonObject("strategyParameters").get("max-clusters").getAsString())
        .isEqualTo("500");
    JsonObject noColdStart =
        body(
            new Cell("typiclust", Mode.PRETRAINED, 3),
            sized.toBuilder().coldStart(false).build(),
            "m");
    assertThat(noColdStart.get("initialStrategy").getAsString()).isEqualTo("random");
  }

  @Test
  void campaignIdsAreFixedByTheExperimentAndTheCell() {
    Cell cell = new Cell("badge", Mode.PRETRAINED, 1);
    assertThat(CampaignRequest.campaignId(identity, cell))
        .isEqualTo(CampaignRequest.campaignId(Map.of("protocol", protocol.describe()), cell));
    assertThat(CampaignRequest.campaignId(identity, cell))
        .isNotEqualTo(
            CampaignRequest.campaignId(
                Map.of("protocol", protocol.toBuilder().rounds(3).build().describe()), cell));
  }
}
