package io.alfer.deploy.checks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variables a service reads, from its application.properties: every {@code ${NAME}}
 * or {@code ${NAME:default}} reference, and the environment form of every property it sets
 * (SmallRye Config maps {@code ALFER_INGEST_IMPORT_PARALLELISM} to {@code
 * alfer.ingest.import-parallelism}), plus what the image's entrypoint reads.
 */
final class ServiceConfig {
  /** Read by the entrypoint of docker/Dockerfile.jvm and Dockerfile.cuda, not by the service. */
  static final Set<String> IMAGE_VARIABLES = Set.of("JAVA_OPTS");

  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::[^}]*)?}");

  private ServiceConfig() {}

  static Path properties(String service) {
    return Repo.service(service).resolve("src/main/resources/application.properties");
  }

  /** Environment variable names the service reads. */
  static Set<String> readBy(String service) {
    Path file = properties(service);
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    Set<String> names = new TreeSet<>(IMAGE_VARIABLES);
    Matcher m = REFERENCE.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    for (String line : text.split("\\R")) {
      String trimmed = line.strip();
      int eq = trimmed.indexOf('=');
      if (trimmed.isEmpty() || trimmed.startsWith("#") || eq <= 0) {
        continue;
      }
      String key = trimmed.substring(0, eq).strip();
      if (key.startsWith("%")) {
        // Profile-specific (%test., %dev.): not what runs in a cluster, except %prod.
        if (!key.startsWith("%prod.")) {
          continue;
        }
        key = key.substring("%prod.".length());
      }
      names.add(environmentName(key));
    }
    return names;
  }

  /** MicroProfile Config's environment form of a property name. */
  static String environmentName(String property) {
    return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
  }
}
