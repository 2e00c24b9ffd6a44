package io.alfer.experiment.services;

import io.alfer.core.api.CampaignRequest;
import io.alfer.core.storage.Hashes;
import io.alfer.experiment.config.Cell;
import io.alfer.experiment.config.Mode;
import io.alfer.experiment.config.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link CampaignRequest} ({@code POST /campaigns}) that runs one cell through the services.
 * Sizes are sent as the protocol holds them (a size when set, else the fraction), so the select
 * service applies the same rule to the same pool; round 0 is {@code random} (or, for a cold-start
 * cell, the strategy itself) with the cell's seed, and round r ≥ 1 uses {@code seed + r}, as in
 * process.
 */
public final class CampaignRequests {
  /** The built-in vendor that answers from ground truth. */
  public static final String ORACLE = "oracle";

  private CampaignRequests() {}

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
  public static CampaignRequest body(
      String campaignId,
      Protocol protocol,
      Cell cell,
      Map<String, String> strategyParameters,
      String baseModelId,
      int poolSize,
      List<String> vendors) {
    boolean sized = protocol.initialSize() > 0;
    boolean budgetSized = protocol.budgetSize() > 0;
    return new CampaignRequest(
        campaignId,
        protocol.dataset(),
        cell.strategy(),
        new TreeMap<>(strategyParameters),
        protocol.choosesOwnInitialSet(cell.strategy(), cell.mode()) ? cell.strategy() : "random",
        sized ? protocol.initialSize() : null,
        sized ? null : protocol.initialFraction(),
        budgetSized ? protocol.budgetSize() : null,
        budgetSized ? null : protocol.budgetFraction(),
        protocol.rounds(),
        protocol.initialCount(poolSize) + protocol.rounds() * protocol.budgetCount(poolSize),
        cell.mode() == Mode.PRETRAINED ? baseModelId : null,
        protocol.finetuning().preset(),
        protocol.encoderPreset(),
        protocol.finetuning().effectiveMaxEpochs(),
        cell.seed(),
        List.copyOf(vendors),
        1,
        null);
  }
}
