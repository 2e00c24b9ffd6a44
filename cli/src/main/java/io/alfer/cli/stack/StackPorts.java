package io.alfer.cli.stack;

/**
 * The loopback ports of the local stack.
 *
 * @param kafka Kafka's client listener (bootstrap servers)
 * @param kafkaController Kafka's KRaft controller listener
 * @param s3 the S3 endpoint
 */
public record StackPorts(int kafka, int kafkaController, int s3) {
  /**
   * Ports from ALFER_KAFKA_PORT, ALFER_KAFKA_CONTROLLER_PORT and ALFER_S3_PORT, else
   * 9092/9093/9000.
   */
  public static StackPorts fromEnvironment() {
    return new StackPorts(
        port("ALFER_KAFKA_PORT", 9092),
        port("ALFER_KAFKA_CONTROLLER_PORT", 9093),
        port("ALFER_S3_PORT", 9000));
  }

  private static int port(String variable, int fallback) {
    String value = System.getenv(variable);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new StackException(variable + "='" + value + "' is not a port number");
    }
  }
}
