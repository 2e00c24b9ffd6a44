/**
 * The local stack behind {@code alfer up}, {@code status} and {@code down}: a Kafka broker and an
 * S3 server on loopback, as background processes with pid files, everything under one folder.
 */
package io.alfer.cli.stack;
