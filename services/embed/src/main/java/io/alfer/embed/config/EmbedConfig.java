package io.alfer.embed.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the embed service ({@code alfer.embed.*}). */
@ConfigMapping(prefix = "alfer.embed")
public interface EmbedConfig {
  /** Where models run: {@code cpu}, {@code cuda}, or {@code auto} (CUDA when present). */
  @WithDefault("auto")
  Device device();

  /** CUDA device ordinal, when the CUDA execution provider is used. */
  @WithDefault("0")
  int cudaDeviceId();

  /** ONNX Runtime intra-op threads per session; 0 lets ONNX Runtime choose (one per core). */
  @WithDefault("0")
  int intraOpThreads();

  /**
   * Whether ONNX Runtime's intra-op threads spin while waiting for work. Spinning helps a model
   * that has the cores to itself; off, the fetch threads (S3 reads, PNG decodes) get the cores when
   * the model waits.
   */
  @WithDefault("false")
  boolean intraOpSpinning();

  /** Images per ONNX Runtime call. */
  @WithDefault("64")
  int batchSize();

  /**
   * Pixel segments kept in memory, in MiB: each is read once for all of this replica's partitions
   * (FER2013's whole pool at 48×48 is about 80 MiB).
   */
  @WithDefault("256")
  int segmentCacheMb();

  /** Consumer group of the replicas sharing the work items on {@code alfer.embed.work}. */
  @WithDefault("alfer-embed-work")
  String workGroup();

  /**
   * How long the work group waits for a replica that stopped answering (a crash, not a shutdown)
   * before its work items go to the others: the work consumer's {@code session.timeout.ms}, at
   * least the broker's {@code group.min.session.timeout.ms} (6 s by default).
   */
  @WithDefault("45s")
  Duration workSessionTimeout();

  /** Images per work item: consecutive images of one partition of {@code alfer.images}. */
  @WithDefault("512")
  int itemImages();

  /** Concurrent S3 reads and PNG decodes feeding the model. */
  @WithDefault("16")
  int fetchParallelism();

  /** Batches fetched ahead of the one running, so that S3 reads overlap inference. */
  @WithDefault("4")
  int prefetchBatches();

  /** Kafka consumer group that shares the partitions of {@code alfer.images} among replicas. */
  @WithDefault("alfer-embed")
  String consumerGroup();

  /** Largest image accepted by the REST endpoint, in bytes; larger bodies are answered 413. */
  @WithDefault("20971520")
  long maxImageBytes();

  /** Largest decoded image in pixels (decompression-bomb guard), as in ingest. */
  @WithDefault("40000000")
  long maxPixels();

  /** Wait before a work unit that failed on S3 or Kafka is tried again. */
  @WithDefault("5s")
  Duration retryDelay();

  /** Name of this instance in event origins; defaults to the host name. */
  @WithDefault("${HOSTNAME:embed}")
  String instance();
}
