package io.alfer.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits and defaults of the ingest service ({@code alfer.ingest.*}). */
@ConfigMapping(prefix = "alfer.ingest")
public interface IngestConfig {
  /** Canonical side length of a dataset created without one (FER2013's 48). */
  @WithDefault("48")
  int defaultSize();

  /** Largest single-image upload in bytes; larger bodies are answered 413. */
  @WithDefault("20971520")
  long maxImageBytes();

  /** Largest bulk-import upload in bytes; larger bodies are answered 413. */
  @WithDefault("4294967296")
  long maxImportBytes();

  /** Largest decoded image in pixels (decompression-bomb guard). */
  @WithDefault("40000000")
  long maxPixels();

  /** Most entries an import archive may hold. */
  @WithDefault("200000")
  int maxArchiveEntries();

  /** Images processed in parallel during a bulk import. */
  @WithDefault("8")
  int importParallelism();

  /**
   * Images of a bulk import whose canonical pixels are written together as one pixel segment (what
   * the embed service reads instead of one PNG per image); their announcements wait for it.
   */
  @WithDefault("512")
  int imagesPerSegment();

  /** Refusals kept per import job for display (all are counted). */
  @WithDefault("1000")
  int refusalsKept();

  /** Name of this instance in event origins; defaults to the host name. */
  @WithDefault("${HOSTNAME:ingest}")
  String instance();
}
