package io.alfer.console.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Where the other services are and how the console behaves ({@code alfer.console.*}). */
@ConfigMapping(prefix = "alfer.console")
public interface ConsoleConfig {
  /** Base URL of the ingest service ({@code ALFER_CONSOLE_INGEST_URL}). */
  String ingestUrl();

  /** Base URL of the trainer ({@code ALFER_CONSOLE_TRAINER_URL}). */
  String trainerUrl();

  /** Base URL of the embed service ({@code ALFER_CONSOLE_EMBED_URL}). */
  String embedUrl();

  /** Base URL of the label service ({@code ALFER_CONSOLE_LABEL_URL}). */
  String labelUrl();

  /** Base URL of the select service ({@code ALFER_CONSOLE_SELECT_URL}). */
  String selectUrl();

  /** Base URL of the oracle vendor ({@code ALFER_CONSOLE_ORACLE_URL}). */
  String oracleUrl();

  /** Longest wait for one answer of a service. */
  @WithDefault("PT10S")
  Duration timeout();

  /** How often the services' views are read while a browser listens for live updates. */
  @WithDefault("PT1S")
  Duration poll();

  /** How long the labelling page holds an answer before sending it (the time to undo it). */
  @WithDefault("PT3S")
  Duration undoWindow();

  /** Sample images kept per dataset and class. */
  @WithDefault("12")
  int samplesPerClass();
}
