package io.alfer.ingest.importing;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /imports/{id}} answers.
 *
 * @param id import id
 * @param dataset target dataset
 * @param layout layout read (detected or chosen)
 * @param state running, succeeded, refused (nothing taken in, nothing created) or failed
 * @param done items processed so far (accepted + duplicates + refused)
 * @param total items in the upload (known up front; equals done once finished)
 * @param accepted images stored and announced by this import
 * @param duplicates images that were already stored (re-runs add nothing)
 * @param refused rows or files refused
 * @param refusedByReason refusals counted per reason
 * @param refusals the first refusals with their source and reason
 * @param imagesPerSecond throughput so far
 * @param startedAt start time
 * @param finishedAt end time, when finished
 * @param error why a failed import failed, or why a refused one took nothing in
 */
public record ImportView(
    String id,
    String dataset,
    String layout,
    ImportJob.State state,
    long done,
    long total,
    long accepted,
    long duplicates,
    long refused,
    Map<String, Long> refusedByReason,
    List<ImportJob.Refusal> refusals,
    double imagesPerSecond,
    Instant startedAt,
    Instant finishedAt,
    String error) {}
