package io.alfer.core.storage;

import java.util.Map;
import java.util.Objects;

/**
 * Where the S3-compatible object store is and how to sign in.
 *
 * @param endpoint base URL, e.g. {@code http://127.0.0.1:9000}
 * @param accessKey access key id
 * @param secretKey secret key
 * @param bucket the one bucket alfer uses
 * @param region signing region
 */
public record S3Settings(
    String endpoint, String accessKey, String secretKey, String bucket, String region) {

  /** Defaults of the local stack ({@code ./alfer up}) and the test kit. */
  public static final String DEFAULT_ACCESS_KEY = "alfer";

  /** Defaults of the local stack ({@code ./alfer up}) and the test kit. */
  public static final String DEFAULT_SECRET_KEY = "alfer-secret-key";

  /** Default bucket name. */
  public static final String DEFAULT_BUCKET = "alfer";

  /** Default region. */
  public static final String DEFAULT_REGION = "us-east-1";

  public S3Settings {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(accessKey, "accessKey");
    Objects.requireNonNull(secretKey, "secretKey");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(region, "region");
  }

  /**
   * The configuration of an S3Proxy server that serves these settings from a directory (filesystem
   * backend, V2 or V4 signatures): the one configuration of the test kit's S3 server and the local
   * stack's.
   *
   * @param blobs the directory the objects are kept in
   */
  public String s3ProxyProperties(java.nio.file.Path blobs) {
    return String.join(
        "\n",
        "s3proxy.endpoint=" + endpoint,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + accessKey,
        "s3proxy.credential=" + secretKey,
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + blobs.toAbsolutePath(),
        "");
  }

  /** Settings for an endpoint with the local-stack credentials and bucket. */
  public static S3Settings local(String endpoint) {
    return new S3Settings(
        endpoint, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, DEFAULT_BUCKET, DEFAULT_REGION);
  }

  /**
   * Reads {@code ALFER_S3_ENDPOINT}, {@code ALFER_S3_ACCESS_KEY}, {@code ALFER_S3_SECRET_KEY},
   * {@code ALFER_S3_BUCKET} and {@code ALFER_S3_REGION}; missing ones take the local defaults.
   * Returns null when no endpoint is set.
   */
  public static S3Settings fromEnvironment(Map<String, String> env) {
    String endpoint = env.get("ALFER_S3_ENDPOINT");
    if (endpoint == null || endpoint.isBlank()) {
      return null;
    }
    return new S3Settings(
        endpoint,
        env.getOrDefault("ALFER_S3_ACCESS_KEY", DEFAULT_ACCESS_KEY),
        env.getOrDefault("ALFER_S3_SECRET_KEY", DEFAULT_SECRET_KEY),
        env.getOrDefault("ALFER_S3_BUCKET", DEFAULT_BUCKET),
        env.getOrDefault("ALFER_S3_REGION", DEFAULT_REGION));
  }
}
