package io.alfer.core.messaging;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * How a Kafka client that a service builds itself ({@link TopicFollower}, admin clients, consumers
 * outside the messaging channels) reaches the brokers: the bootstrap servers and the connection
 * settings (security protocol, SASL, TLS) of the service's {@code kafka.*} configuration, so that
 * it authenticates exactly like the service's channels. In a Quarkus service that configuration is
 * the map {@code @Identifier("default-kafka-broker") Map<String, Object>}, which also holds
 * settings given as environment variables ({@code KAFKA_SASL_JAAS_CONFIG} becomes {@code
 * sasl.jaas.config}).
 *
 * <p>Only connection settings are taken: a consumer group ({@code group.id}, which Quarkus fills in
 * with the application name), serializers or commit settings of the channels must not leak into a
 * client that chose its own.
 */
public final class KafkaConnection {
  private KafkaConnection() {}

  /**
   * The connection settings in {@code kafkaConfig}: {@code bootstrap.servers}, {@code
   * security.protocol}, {@code client.dns.lookup} and every {@code sasl.*} and {@code ssl.*} key.
   *
   * @throws IllegalArgumentException when {@code bootstrap.servers} is missing or blank
   */
  public static Properties settings(Map<String, ?> kafkaConfig) {
    Properties p = new Properties();
    kafkaConfig.forEach(
        (key, value) -> {
          if (value != null && isConnectionSetting(key)) {
            p.put(key, value.toString());
          }
        });
    String bootstrap = p.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "");
    if (bootstrap.isBlank()) {
      throw new IllegalArgumentException(
          "no Kafka bootstrap servers: set kafka.bootstrap.servers (ALFER_KAFKA_BOOTSTRAP)");
    }
    return p;
  }

  /** The settings of a plain connection to {@code bootstrapServers} (no authentication). */
  public static Properties settings(String bootstrapServers) {
    return settings(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  /** Whether {@code key} says where or how to connect, rather than what the client does. */
  static boolean isConnectionSetting(String key) {
    return key.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
        || key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG)
        || key.equals(CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG)
        || key.startsWith("sasl.")
        || key.startsWith("ssl.");
  }
}
