package io.alfer.label.consensus;

/**
 * A reconciled label.
 *
 * @param label class index in the taxonomy
 * @param agreement share of votes for the label (majority) or its posterior (Dawid-Skene), in [0,
 *     1]
 * @param method {@value Consensus#MAJORITY} or {@value Consensus#DAWID_SKENE}
 */
public record Decision(int label, double agreement, String method) {}
