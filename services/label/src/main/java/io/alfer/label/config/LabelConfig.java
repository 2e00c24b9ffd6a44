package io.alfer.label.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Tasks, consensus and vendors of the label service ({@code alfer.label.*}). */
@ConfigMapping(prefix = "alfer.label")
public interface LabelConfig {
  /**
   * How long a vendor has to answer a task (the task's deadline is its issue time plus this),
   * unless the vendor has its own {@link Vendor#taskTtl()}.
   */
  @WithDefault("PT24H")
  Duration taskTtl();

  /** How long a task's pre-signed image URL is valid (S3 allows at most 7 days). */
  @WithDefault("PT48H")
  Duration urlTtl();

  /** Issues of one annotation slot (first issue plus re-issues) before the slot is given up. */
  @WithDefault("3")
  int maxAttempts();

  /** How often expired tasks are looked for. */
  @WithDefault("PT30S")
  Duration expiryScan();

  /** Vendors of a selection that names none. */
  @WithDefault("oracle")
  List<String> defaultVendors();

  /**
   * Largest result body accepted over HTTP, in bytes; a longer one is refused with 413 {@code
   * too_large}. A result is a few hundred bytes; the slack is for vendors' own fields.
   */
  @WithDefault("65536")
  int maxResultBytes();

  /** Dawid-Skene settings. */
  DawidSkene dawidSkene();

  /** Registered vendors by name. */
  Map<String, Vendor> vendors();

  /**
   * Whether the service creates its registered vendors' topics when they are missing (the local
   * stack and tests); in Kubernetes the KafkaTopic manifests create them.
   */
  @WithDefault("true")
  boolean createVendorTopics();

  /** Name of this instance in event origins; defaults to the host name. */
  @WithDefault("${HOSTNAME:label}")
  String instance();

  /** When Dawid-Skene replaces the majority vote. */
  interface DawidSkene {
    /** Annotations in the campaign every annotator of an image needs before Dawid-Skene is used. */
    @WithDefault("10")
    int minHistory();

    /** New annotations, at least, after which the annotator model is fitted again. */
    @WithDefault("50")
    int refitEvery();

    /**
     * New annotations, at least, after which the annotator model is fitted again, as a share of the
     * campaign's annotations, in [0, 1): the gaps between fits grow with the campaign, so that
     * fitting costs time linear in the campaign, not quadratic. 0 refits every {@code refit-every}.
     */
    @WithDefault("0.1")
    double refitGrowth();

    /**
     * Pseudo-items of every class in the class prior, above 0: a class that no item had at the last
     * fit keeps a prior of about this over the campaign's images, not next to nothing.
     */
    @WithDefault("1")
    double classPrior();

    /**
     * Pseudo-counts on the diagonal of every annotator's confusion row: the prior that an annotator
     * answers a class right until their answers say otherwise. 0 leaves only the additive smoothing
     * (0.1), with which a single dissent in a sparse early row can overturn unanimous images.
     */
    @WithDefault("1")
    double diagonalPrior();
  }

  /** One vendor. */
  interface Vendor {
    /** What the vendor is, for people. */
    @WithDefault("")
    String description();

    /** Hex SHA-256 of the vendor's API key; without one the vendor answers over Kafka only. */
    @WithName("api-key-sha256")
    Optional<String> apiKeySha256();

    /**
     * How long this vendor has to answer a task, where it differs from {@code alfer.label.task-ttl}
     * (vendors promise different turnarounds).
     */
    Optional<Duration> taskTtl();
  }
}
