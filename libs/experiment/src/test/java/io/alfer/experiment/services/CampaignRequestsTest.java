package io.alfer.experiment.services;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alfer.core.api.CampaignRequest;
import io.alfer.experiment.config.Cell;
import io.alfer.experiment.config.Mode;
import io.alfer.experiment.config.Profile;
import io.alfer.experiment.config.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exact request the services mode sends for a cell (the select service's contract). */
class CampaignRequestsTest {
  private final Protocol protocol = Profile.PAPER.protocol().toBuilder().dataset("fer2013").build();
  private final Map<String, Object> identity = Map.of("protocol", protocol.describe());

  /** The body as {@link HttpJson} sends it, parsed. */
  private ObjectNode body(Cell cell, Protocol p, String baseModel) throws Exception {
    String id = CampaignRequests.campaignId(identity, cell);
    CampaignRequest body =
        CampaignRequests.body(
            id, p, cell, p.parametersOf(cell.strategy()), baseModel, 28_709, List.of("oracle"));
    return (ObjectNode) new ObjectMapper().readTree(HttpJson.json(body));
  }

  @Test
  void aScratchCellStartsFromTheRandomSetWithItsSeedAndNoBaseModel() throws Exception {
    ObjectNode json = body(new Cell("entropy", Mode.SCRATCH, 2), protocol, null);
    List<String> keys = new ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    assertThat(keys)
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
    assertThat(json.get("campaignId").textValue()).matches("exp-[0-9a-f]{10}-entropy-scratch-s2");
    assertThat(json.get("dataset").textValue()).isEqualTo("fer2013");
    assertThat(json.get("strategy").textValue()).isEqualTo("entropy");
    assertThat(json.get("initialStrategy").textValue()).isEqualTo("random");
    assertThat(json.get("initialFraction").doubleValue()).isEqualTo(0.10);
    assertThat(json.get("budgetFraction").doubleValue()).isEqualTo(0.05);
    assertThat(json.get("rounds").intValue()).isEqualTo(7);
    assertThat(json.get("totalBudget").intValue()).isEqualTo(2871 + 7 * 1435);
    assertThat(json.get("finetunePreset").textValue()).isEqualTo("paper");
    assertThat(json.get("encoderPreset").textValue()).isEqualTo("resnet18");
    assertThat(json.get("finetuneMaxEpochs"))
        .as("no cap: the preset's length")
        .isEqualTo(IntNode.valueOf(0));
    assertThat(json.get("seed").longValue()).isEqualTo(2);
    assertThat(json.get("vendors").get(0).textValue()).isEqualTo("oracle");
    assertThat(json.get("annotationsPerImage").intValue()).isEqualTo(1);
  }

  @Test
  void aPretrainedColdStartCellChoosesItsOwnSetFromTheEncoder() throws Exception {
    Protocol sized =
        protocol.toBuilder()
            .initialSize(500)
            .budgetSize(100)
            .strategyParameters(Map.of("typiclust", Map.of("max-clusters", "500")))
            .build();
    ObjectNode json = body(new Cell("typiclust", Mode.PRETRAINED, 3), sized, "simclr-fer2013-x");
    assertThat(json.get("initialStrategy").textValue()).isEqualTo("typiclust");
    assertThat(json.get("baseModelId").textValue()).isEqualTo("simclr-fer2013-x");
    assertThat(json.get("initialSize").intValue()).isEqualTo(500);
    assertThat(json.get("budgetPerRound").intValue()).isEqualTo(100);
    assertThat(json.has("initialFraction")).isFalse();
    assertThat(json.get("totalBudget").intValue()).isEqualTo(500 + 7 * 100);
    assertThat(json.get("strategyParameters").get("max-clusters").textValue()).isEqualTo("500");
    JsonNode noColdStart =
        body(
            new Cell("typiclust", Mode.PRETRAINED, 3),
            sized.toBuilder().coldStart(false).build(),
            "m");
    assertThat(noColdStart.get("initialStrategy").textValue()).isEqualTo("random");
  }

  @Test
  void campaignIdsAreFixedByTheExperimentAndTheCell() {
    Cell cell = new Cell("badge", Mode.PRETRAINED, 1);
    assertThat(CampaignRequests.campaignId(identity, cell))
        .isEqualTo(CampaignRequests.campaignId(Map.of("protocol", protocol.describe()), cell));
    assertThat(CampaignRequests.campaignId(identity, cell))
        .isNotEqualTo(
            CampaignRequests.campaignId(
                Map.of("protocol", protocol.toBuilder().rounds(3).build().describe()), cell));
  }

  @Test
  void nullValuesAreLeftOutOfTheBody() throws Exception {
    ObjectNode json = body(new Cell("typiclust", Mode.PRETRAINED, 3), protocol, null);
    assertThat(json.has("baseModelId")).isFalse();
    assertThat(json.get("strategy").textValue()).isEqualTo("typiclust");
  }
}
