package io.alfer.label.state;

import java.util.Map;

/**
 * What a vendor has done, rebuilt from the topics at every start (so a restart counts nothing
 * twice).
 *
 * @param vendor vendor name
 * @param issued tasks issued to the vendor, re-issues included
 * @param answered results accepted
 * @param refused results refused, by reason
 * @param late results refused as late (also counted in {@code refused})
 * @param expired tasks whose deadline passed unanswered (re-issued or given up)
 * @param open tasks waiting for an answer
 * @param agreement share of the vendor's accepted annotations of labelled images that match the
 *     reconciled label; null before any
 */
public record VendorStats(
    String vendor,
    long issued,
    long answered,
    Map<String, Long> refused,
    long late,
    long expired,
    long open,
    Double agreement) {}
