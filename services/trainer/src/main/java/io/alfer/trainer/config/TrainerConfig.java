package io.alfer.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** The trainer's own settings ({@code alfer.trainer.*}). */
@ConfigMapping(prefix = "alfer.trainer")
public interface TrainerConfig {
  /** Where training runs: {@code auto} (CUDA when DJL sees a GPU), {@code cpu} or {@code gpu}. */
  @WithDefault("auto")
  String device();

  /** Name of this instance in every event's origin (the pod name in Kubernetes). */
  String instance();

  /** Local directory of the shard cache (training images fetched once per machine). */
  Path cacheDir();

  /** Images per training shard when a dataset split is packed. */
  @WithDefault("4096")
  int imagesPerShard();

  /** Least time between two step-level progress events of a job (epoch ends always report). */
  @WithDefault("PT2S")
  Duration progressInterval();

  /** Pre-training defaults for fields a request leaves at zero or empty. */
  Pretrain pretrain();

  /** Fine-tuning defaults for fields a request leaves empty. */
  Finetune finetune();

  /** Bounds a request must respect. */
  Limits limits();

  /** DeepFool sizes of fine-tuning jobs that ask for them ({@code FinetuneJob.deepfool}). */
  Deepfool deepfool();

  /**
   * How long a request from {@code alfer.training.requests} waits for the catalog, the job recovery
   * or object storage before it is given to the dead-letter topic. Must stay below the channel's
   * {@code throttled.unprocessed-record-max-age.ms} (checked at start).
   */
  @WithDefault("PT5M")
  Duration requestPatience();

  /**
   * How long a running job waits for object storage when an outage interrupts it (then it runs
   * again: a fine-tuning from its start, a pre-training from its last epoch checkpoint), and how
   * long a job's state waits to be recorded, before the job fails with {@code storage_unavailable}.
   */
  @WithDefault("PT5M")
  Duration storagePatience();

  /** Pre-training defaults. */
  interface Pretrain {
    /** Encoder preset (resnet18, small, tiny). */
    @WithDefault("small")
    String preset();

    /** Epochs over the pool. */
    @WithDefault("100")
    int epochs();

    /** Images per step. */
    @WithDefault("256")
    int batchSize();

    /** NT-Xent temperature τ. */
    @WithDefault("0.5")
    double temperature();

    /** Peak learning rate (SGD, momentum 0.9, weight decay 5e-4, cosine decay). */
    @WithDefault("0.3")
    double learningRate();
  }

  /** Fine-tuning defaults. */
  interface Finetune {
    /** Fine-tuning preset: paper or cpu-fast. */
    @WithDefault("cpu-fast")
    String preset();

    /** Encoder preset of a classifier trained from scratch. */
    @WithDefault("small")
    String encoderPreset();
  }

  /** DeepFool settings. */
  interface Deepfool {
    /** Most linearisation steps per image; an image not flipped by then keeps its size so far. */
    @WithDefault("50")
    int maxIterations();

    /** Overshoot η: images are evaluated at x + (1 + η)·r. */
    @WithDefault("0.02")
    double overshoot();

    /** Images attacked together. */
    @WithDefault("32")
    int batchSize();
  }

  /** Bounds on requests: anything outside is refused as impossible. */
  interface Limits {
    /** Most epochs a job may ask for. */
    @WithDefault("2000")
    int maxEpochs();

    /** Largest batch a job may ask for. */
    @WithDefault("4096")
    int maxBatchSize();

    /** Largest labelled set of a fine-tuning job. */
    @WithDefault("1000000")
    int maxLabelled();
  }
}
