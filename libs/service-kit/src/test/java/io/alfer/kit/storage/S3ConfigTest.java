package io.alfer.kit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class S3ConfigTest {
  @Test
  void aCompleteConfigurationGivesTheClientSettings() {
    S3Config config =
        config(Optional.of("http://127.0.0.1:9000"), Optional.of("k"), Optional.of("s"));
    assertThat(config.settings().endpoint()).isEqualTo("http://127.0.0.1:9000");
    assertThat(config.settings().bucket()).isEqualTo("alfer");
  }

  @Test
  void aMissingEndpointOrKeyIsNamedWithItsVariable() {
    S3Config config = config(Optional.empty(), Optional.of("k"), Optional.empty());
    assertThatThrownBy(config::settings)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("alfer.s3.endpoint (ALFER_S3_ENDPOINT)")
        .hasMessageContaining("alfer.s3.secret-key (ALFER_S3_SECRET_KEY)")
        .hasMessageNotContaining("access-key");
  }

  private static S3Config config(
      Optional<String> endpoint, Optional<String> accessKey, Optional<String> secretKey) {
    return new S3Config() {
      @Override
      public boolean enabled() {
        return true;
      }

      @Override
      public Optional<String> endpoint() {
        return endpoint;
      }

      @Override
      public Optional<String> accessKey() {
        return accessKey;
      }

      @Override
      public Optional<String> secretKey() {
        return secretKey;
      }

      @Override
      public String bucket() {
        return "alfer";
      }

      @Override
      public String region() {
        return "us-east-1";
      }
    };
  }
}
