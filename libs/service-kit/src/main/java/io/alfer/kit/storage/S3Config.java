package io.alfer.kit.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Object storage ({@code alfer.s3.*}), the same keys in every service that stores. */
@ConfigMapping(prefix = "alfer.s3")
public interface S3Config {
  /** Endpoint URL, e.g. http://127.0.0.1:9000. */
  String endpoint();

  /** Access key id. */
  String accessKey();

  /** Secret key. */
  String secretKey();

  /** Bucket. */
  @WithDefault("alfer")
  String bucket();

  /** Signing region. */
  @WithDefault("us-east-1")
  String region();

  /** The settings of the core client. */
  default io.alfer.core.storage.S3Settings settings() {
    return new io.alfer.core.storage.S3Settings(
        endpoint(), accessKey(), secretKey(), bucket(), region());
  }
}
