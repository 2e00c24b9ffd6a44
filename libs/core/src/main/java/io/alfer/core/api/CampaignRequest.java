package io.alfer.core.api;

import java.util.List;
import java.util.Map;

/**
 * The body of the select service's {@code POST /campaigns}, as JSON with these names. The one
 * definition of it: the service reads it, and the command line's demo and the experiment runner
 * (through the services) send it. Absent (null) fields take their defaults (see the select
 * service's README).
 *
 * @param campaignId id; generated when absent
 * @param dataset dataset to label
 * @param strategy strategy of the rounds after the initial set (an {@code
 *     io.alfer.al.strategy.Strategies} name)
 * @param strategyParameters its parameters
 * @param initialStrategy random (default), typiclust, probcover or coreset
 * @param initialSize size of the initial set
 * @param initialFraction or its fraction of the pool
 * @param budgetPerRound images per round
 * @param budgetFraction or their fraction of the pool
 * @param rounds selection rounds after the initial set
 * @param totalBudget cap on the labels bought, initial set included; 0 = none
 * @param baseModelId pre-trained encoder of the dataset; empty = from scratch
 * @param finetunePreset trainer fine-tuning preset; empty = the trainer's default
 * @param encoderPreset encoder preset when from scratch; empty = the trainer's default
 * @param finetuneMaxEpochs epoch cap; 0 = the preset's
 * @param seed seed (default 0)
 * @param vendors vendors; empty = the label service's default
 * @param annotationsPerImage annotations wanted per image (default 1)
 * @param onUnanswered what happens to an image no vendor answers (every issue of a slot expired):
 *     {@code skip} (default; the round goes on without it and it returns to the pool) or {@code
 *     reassign} (its slot goes to the campaign's next vendor first)
 */
public record CampaignRequest(
    String campaignId,
    String dataset,
    String strategy,
    Map<String, String> strategyParameters,
    String initialStrategy,
    Integer initialSize,
    Double initialFraction,
    Integer budgetPerRound,
    Double budgetFraction,
    Integer rounds,
    Integer totalBudget,
    String baseModelId,
    String finetunePreset,
    String encoderPreset,
    Integer finetuneMaxEpochs,
    Long seed,
    List<String> vendors,
    Integer annotationsPerImage,
    String onUnanswered) {}
