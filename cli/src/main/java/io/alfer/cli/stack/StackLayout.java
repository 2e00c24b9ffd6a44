package io.alfer.cli.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the local stack keeps everything: one folder ({@code ALFER_HOME}, by default {@code
 * <repo>/.alfer}) that the user can delete to start afresh.
 *
 * @param home the folder
 */
public record StackLayout(Path home) {

  public StackLayout {
    home = home.toAbsolutePath().normalize();
  }

  /** Kafka's configuration and log directories. */
  public Path kafka() {
    return home.resolve("kafka");
  }

  /** The S3 server's blobs and configuration. */
  public Path s3() {
    return home.resolve("s3");
  }

  /** Process output, one file per service. */
  public Path logs() {
    return home.resolve("logs");
  }

  /** Pid files. */
  public Path run() {
    return home.resolve("run");
  }

  /** The sourceable file with the stack's addresses and credentials. */
  public Path envFile() {
    return home.resolve("stack.env");
  }

  /** Creates the folders. */
  public void create() {
    try {
      for (Path dir : new Path[] {kafka(), s3(), logs(), run()}) {
        Files.createDirectories(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + home + ": " + e.getMessage(), e);
    }
  }
}
