package io.alfer.experiment.services;

import io.alfer.core.storage.Hashes;
import io.alfer.experiment.config.Cell;
import io.alfer.experiment.config.Mode;
import io.alfer.experiment.config.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body of {@code POST /campaigns} that runs one cell through the services. Sizes are sent as
 * the protocol holds them (a size when set, else the fraction), so the select service applies the
 * same rule to the same pool; round 0 is {@code random} (or, for a cold-start cell, the strategy
 * itself) with the cell's seed, and round r ≥ 1 uses {@code seed + r}, as in process.
 */
public final class CampaignRequest {
  /** The built-in vendor that answers from ground truth. */
  public static final String ORACLE = "oracle";

  private CampaignRequest() {}

  /**
   * A campaign id fixed by the experiment's identity and the cell, so a rerun finds its campaign
   * again instead of starting another.
   */
  public static String campaignId(Map<String, Object> identity, Cell cell) {
    String digest =
        Hashes.sha256Hex(new TreeMap<>(identity).toString().getBytes(StandardCharsets.UTF_8))
            .substring(0, 10);
    return "exp-" + digest + "-" + cell.fileKey();
  }

  /**
   * The request body.
   *
   * @param baseModelId the SimCLR encoder's model id (pre-trained cells), else null
   * @param poolSize pool size, for the total budget
   */
  public static Map<String, Object> body(
      String campaignId,
      Protocol protocol,
      Cell cell,
      Map<String, String> strategyParameters,
      String baseModelId,
      int poolSize,
      List<String> vendors) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("campaignId", campaignId);
    body.put("dataset", protocol.dataset());
    body.put("strategy", cell.strategy());
    body.put("strategyParameters", new TreeMap<>(strategyParameters));
    body.put(
        "initialStrategy",
        protocol.choosesOwnInitialSet(cell.strategy(), cell.mode()) ? cell.strategy() : "random");
    if (protocol.initialSize() > 0) {
      body.put("initialSize", protocol.initialSize());
    } else {
      body.put("initialFraction", protocol.initialFraction());
    }
    if (protocol.budgetSize() > 0) {
      body.put("budgetPerRound", protocol.budgetSize());
    } else {
      body.put("budgetFraction", protocol.budgetFraction());
    }
    body.put("rounds", protocol.rounds());
    body.put(
        "totalBudget",
        protocol.initialCount(poolSize) + protocol.rounds() * protocol.budgetCount(poolSize));
    if (cell.mode() == Mode.PRETRAINED) {
      body.put("baseModelId", baseModelId);
    }
    body.put("finetunePreset", protocol.finetuning().preset());
    body.put("encoderPreset", protocol.encoderPreset());
    body.put("finetuneMaxEpochs", protocol.finetuning().effectiveMaxEpochs());
    body.put("seed", cell.seed());
    body.put("vendors", List.copyOf(vendors));
    body.put("annotationsPerImage", 1);
    return body;
  }
}
