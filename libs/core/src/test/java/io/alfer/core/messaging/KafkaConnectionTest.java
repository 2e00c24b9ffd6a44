package io.alfer.core.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaConnectionTest {
  @Test
  void takesTheConnectionSettingsOfAServicesKafkaConfigurationAndNothingElse() {
    // What Quarkus' default-kafka-broker map holds for a service on an authenticated listener:
    // kafka.* properties plus KAFKA_* environment variables, and a group.id it adds itself.
    Map<String, Object> config =
        Map.of(
            "bootstrap.servers", "alfer-kafka-bootstrap:9093",
            "security.protocol", "SASL_PLAINTEXT",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
            "ssl.truststore.type", "PEM",
            "group.id", "alfer-label",
            "acks", "all",
            "key.serializer", "org.apache.kafka.common.serialization.StringSerializer");

    Properties settings = KafkaConnection.settings(config);

    assertThat(settings)
        .containsOnlyKeys(
            "bootstrap.servers",
            "security.protocol",
            "sasl.mechanism",
            "sasl.jaas.config",
            "ssl.truststore.type")
        .containsEntry("security.protocol", "SASL_PLAINTEXT");
  }

  @Test
  void aPlainConnectionIsJustTheBootstrapServers() {
    assertThat(KafkaConnection.settings("127.0.0.1:9092"))
        .containsOnlyKeys("bootstrap.servers")
        .containsEntry("bootstrap.servers", "127.0.0.1:9092");
  }

  @Test
  void missingBootstrapServersAreNamed() {
    assertThatThrownBy(() -> KafkaConnection.settings(Map.of("security.protocol", "SSL")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kafka.bootstrap.servers");
    assertThatThrownBy(() -> KafkaConnection.settings(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
