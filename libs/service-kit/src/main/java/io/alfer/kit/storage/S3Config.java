package io.alfer.kit.storage;

import io.alfer.core.storage.S3Settings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Object storage ({@code alfer.s3.*}), the same keys in every service that stores. A service that
 * stores nothing (the oracle) sets {@code alfer.s3.enabled=false} and needs none of the others; in
 * every other service a missing endpoint or key stops the start with the names of what is missing
 * (see {@link ObjectStoreProducer}).
 */
@ConfigMapping(prefix = "alfer.s3")
public interface S3Config {
  /** Whether this service uses object storage (and its readiness asks the bucket). */
  @WithDefault("true")
  boolean enabled();

  /** Endpoint URL, e.g. http://127.0.0.1:9000 ({@code ALFER_S3_ENDPOINT}). */
  Optional<String> endpoint();

  /** Access key id ({@code ALFER_S3_ACCESS_KEY}). */
  Optional<String> accessKey();

  /** Secret key ({@code ALFER_S3_SECRET_KEY}). */
  Optional<String> secretKey();

  /** Bucket. */
  @WithDefault("alfer")
  String bucket();

  /** Signing region. */
  @WithDefault("us-east-1")
  String region();

  /**
   * The settings of the core client.
   *
   * @throws IllegalStateException naming every missing property when the endpoint or a key is not
   *     set
   */
  default S3Settings settings() {
    List<String> missing = new ArrayList<>();
    if (endpoint().isEmpty()) {
      missing.add("alfer.s3.endpoint (ALFER_S3_ENDPOINT)");
    }
    if (accessKey().isEmpty()) {
      missing.add("alfer.s3.access-key (ALFER_S3_ACCESS_KEY)");
    }
    if (secretKey().isEmpty()) {
      missing.add("alfer.s3.secret-key (ALFER_S3_SECRET_KEY)");
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "object storage is not configured: set " + String.join(", ", missing));
    }
    return new S3Settings(
        endpoint().get(), accessKey().get(), secretKey().get(), bucket(), region());
  }
}
