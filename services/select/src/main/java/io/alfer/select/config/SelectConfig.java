package io.alfer.select.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** Campaigns and the loop of the select service ({@code alfer.select.*}). */
@ConfigMapping(prefix = "alfer.select")
public interface SelectConfig {
  /** Name of this instance in event origins; defaults to the host name. */
  @WithDefault("${HOSTNAME:select}")
  String instance();

  /**
   * How often every running campaign is looked at even when nothing arrived (retries after an S3 or
   * Kafka failure); arriving inputs wake the loop at once.
   */
  @WithDefault("PT1S")
  Duration tick();

  /** Campaigns stepped at the same time (a step may run a strategy for seconds). */
  @WithDefault("2")
  int workers();

  /** Fine-tuning presets the trainer knows; others are refused when a campaign is created. */
  @WithDefault("paper,cpu-fast")
  List<String> finetunePresets();

  /** Encoder presets the trainer knows; others are refused when a campaign is created. */
  @WithDefault("resnet18,small,tiny")
  List<String> encoderPresets();

  /** Most selection rounds a campaign may ask for. */
  @WithDefault("1000")
  int maxRounds();

  /** Most annotations per image a campaign may ask for. */
  @WithDefault("10")
  int maxAnnotationsPerImage();

  /**
   * Most images one round (or the initial set) may select: a sanity bound (a round is also never
   * more than the pool). A round's selection, labels and the labelled set travel as claim checks
   * when they outgrow a record ({@code alfer.claims.inline-max-bytes}), so this is not a limit of
   * the messages.
   */
  @WithDefault("1000000")
  int maxRoundSize();

  /** How long a write to Kafka may take before it counts as failed (and is retried). */
  @WithDefault("PT30S")
  Duration sendTimeout();
}
