package io.alfer.console.upstream;

import io.alfer.console.config.ConsoleConfig;
import java.util.Locale;

/** The services the console talks to, each at the base URL its configuration names. */
public enum Service {
  INGEST,
  TRAINER,
  EMBED,
  LABEL,
  SELECT,
  ORACLE;

  /** The service's name as the rest of alfer spells it: {@code ingest}, {@code select}, … */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Its base URL in {@code config}. */
  public String baseUrl(ConsoleConfig config) {
    return switch (this) {
      case INGEST -> config.ingestUrl();
      case TRAINER -> config.trainerUrl();
      case EMBED -> config.embedUrl();
      case LABEL -> config.labelUrl();
      case SELECT -> config.selectUrl();
      case ORACLE -> config.oracleUrl();
    };
  }
}
