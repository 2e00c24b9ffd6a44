package io.alfer.cli.stack;

/**
 * The loopback ports of the local stack.
 *
 * @param kafka Kafka's client listener (bootstrap servers)
 * @param kafkaController Kafka's KRaft controller listener
 * @param s3 the S3 endpoint
 */
public record StackPorts(int kafka, int kafkaController, int s3) {}
