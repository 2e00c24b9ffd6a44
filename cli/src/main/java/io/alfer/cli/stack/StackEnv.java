package io.alfer.cli.stack;

import io.alfer.core.storage.S3Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The addresses and credentials of a running stack, written as a sourceable shell file ({@code .
 * .alfer/stack.env}) whose variable names are the ones the services read.
 *
 * @param kafkaBootstrap Kafka bootstrap servers
 * @param s3 the S3 endpoint, credentials and bucket
 */
public record StackEnv(String kafkaBootstrap, S3Settings s3) {

  /** Writes the file. */
  public void write(Path file, Path home) {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("ALFER_HOME", home.toString());
    vars.put("ALFER_KAFKA_BOOTSTRAP", kafkaBootstrap);
    vars.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
    vars.put("ALFER_S3_ENDPOINT", s3.endpoint());
    vars.put("ALFER_S3_ACCESS_KEY", s3.accessKey());
    vars.put("ALFER_S3_SECRET_KEY", s3.secretKey());
    vars.put("ALFER_S3_BUCKET", s3.bucket());
    vars.put("ALFER_S3_REGION", s3.region());
    StringBuilder text =
        new StringBuilder("# The running alfer stack, written by `alfer up`. Use: . ")
            .append(file)
            .append('\n');
    vars.forEach(
        (name, value) ->
            text.append("export ").append(name).append("='").append(value).append("'\n"));
    try {
      Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StackException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads a file written by {@link #write}; empty when there is none or it is incomplete. */
  public static Optional<StackEnv> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Map<String, String> vars = new HashMap<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String assignment = line.strip();
        if (!assignment.startsWith("export ") || !assignment.contains("=")) {
          continue;
        }
        assignment = assignment.substring("export ".length());
        int eq = assignment.indexOf('=');
        vars.put(assignment.substring(0, eq), unquote(assignment.substring(eq + 1)));
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    String bootstrap = vars.get("ALFER_KAFKA_BOOTSTRAP");
    S3Settings s3 = S3Settings.fromEnvironment(vars);
    return bootstrap == null || s3 == null
        ? Optional.empty()
        : Optional.of(new StackEnv(bootstrap, s3));
  }

  /** Deletes the file, if any. */
  public static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new StackException("cannot delete " + file + ": " + e.getMessage(), e);
    }
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("'") && value.endsWith("'")
        ? value.substring(1, value.length() - 1)
        : value;
  }
}
