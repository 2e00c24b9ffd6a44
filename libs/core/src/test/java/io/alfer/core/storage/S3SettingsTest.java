package io.alfer.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class S3SettingsTest {
  @Test
  void theS3ProxyConfigurationServesTheseCredentialsFromTheDirectory() {
    S3Settings s = new S3Settings("http://127.0.0.1:9123", "id", "secret", "b", "eu-west-1");
    assertThat(s.s3ProxyProperties(Path.of("/tmp/blobs")).lines())
        .contains(
            "s3proxy.endpoint=http://127.0.0.1:9123",
            "s3proxy.identity=id",
            "s3proxy.credential=secret",
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=/tmp/blobs");
  }

  @Test
  void theEnvironmentOverridesTheLocalDefaultsAndNoEndpointMeansNone() {
    assertThat(S3Settings.fromEnvironment(Map.of())).isNull();
    S3Settings s =
        S3Settings.fromEnvironment(
            Map.of("ALFER_S3_ENDPOINT", "http://minio:9000", "ALFER_S3_BUCKET", "faces"));
    assertThat(s)
        .isEqualTo(
            new S3Settings(
                "http://minio:9000",
                S3Settings.DEFAULT_ACCESS_KEY,
                S3Settings.DEFAULT_SECRET_KEY,
                "faces",
                S3Settings.DEFAULT_REGION));
  }
}
