package io.alfer.cli.demo;

/**
 * What the demo runs: the synthetic set, the pre-training and the two campaigns that are compared.
 *
 * @param dataset dataset name
 * @param images synthetic images to generate (pool and test, FER2013's split)
 * @param imageSize the dataset's canonical side: the generated 48 px faces are resampled to it
 * @param seed seed of the synthetic set, the pre-training and both campaigns
 * @param encoderPreset encoder preset of the pre-training and of the from-scratch campaign
 * @param pretrainEpochs SimCLR epochs
 * @param pretrainBatch SimCLR batch size
 * @param initialSize images labelled before the first round
 * @param budgetPerRound images labelled per round
 * @param rounds selection rounds after the initial set
 * @param finetunePreset the trainer's fine-tuning preset
 * @param finetuneMaxEpochs cap on each round's fine-tuning in epochs (0 = the preset's length)
 * @param strategy the pre-trained campaign's strategy
 * @param initialStrategy the pre-trained campaign's cold-start strategy for the initial set
 */
public record DemoSettings(
    String dataset,
    int images,
    int imageSize,
    long seed,
    String encoderPreset,
    int pretrainEpochs,
    int pretrainBatch,
    int initialSize,
    int budgetPerRound,
    int rounds,
    String finetunePreset,
    int finetuneMaxEpochs,
    String strategy,
    String initialStrategy) {

  /** The pre-training job's id: the same settings give the same job, so a kept stack reuses it. */
  public String pretrainJobId() {
    return "demo-pretrain-%s-%s-i%d-p%d-e%d-b%d-s%d"
        .formatted(dataset, encoderPreset, images, imageSize, pretrainEpochs, pretrainBatch, seed);
  }
}
