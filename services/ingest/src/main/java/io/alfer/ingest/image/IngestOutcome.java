package io.alfer.ingest.image;

/**
 * The result of ingesting one image.
 *
 * @param imageId content-derived id
 * @param dataset dataset
 * @param created true when the image was stored and announced now, false when it already was
 */
public record IngestOutcome(String imageId, String dataset, boolean created) {}
