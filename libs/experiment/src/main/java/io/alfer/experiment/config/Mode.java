package io.alfer.experiment.config;

import java.util.Arrays;
import java.util.Locale;

/** How a cell's classifier starts each round: from scratch or from the SimCLR encoder. */
public enum Mode {
  /** Encoder and head freshly initialised from the seed (no pre-training). */
  SCRATCH("scratch"),
  /** Encoder from SimCLR pre-training on the unlabelled pool, head fresh. */
  PRETRAINED("pretrained");

  private final String label;

  Mode(String label) {
    this.label = label;
  }

  /** The name used on the command line, in the results and in the tables. */
  public String label() {
    return label;
  }

  /** The mode named {@code label} ({@code scratch} or {@code pretrained}). */
  public static Mode of(String label) {
    String wanted = label == null ? "" : label.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(m -> m.label.equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown mode '" + label + "'; valid modes: scratch, pretrained"));
  }

  @Override
  public String toString() {
    return label;
  }
}
