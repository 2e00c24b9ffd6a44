package io.alfer.deploy.checks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * What configuration a service reads, from its sources: every {@code ${NAME}} or {@code
 * ${NAME:default}} reference and every property set in its application.properties, every property
 * of its {@code @ConfigMapping} interfaces, what the image's entrypoint reads, what the native
 * libraries it ships read, and the Kafka client settings Quarkus takes from {@code KAFKA_*}
 * variables. SmallRye Config maps an environment variable to a property by its environment form
 * ({@code ALFER_INGEST_IMPORT_PARALLELISM} is {@code alfer.ingest.import-parallelism}).
 */
final class ServiceConfig {
  /** Read by the entrypoint of docker/Dockerfile.jvm and Dockerfile.cuda, not by the service. */
  static final Set<String> IMAGE_VARIABLES = Set.of("JAVA_OPTS", "JAVA_OPTS_APPEND");

  /**
   * Read by a native library, with the Java package that shows the service uses it (imported by its
   * main sources): DJL's cache of extracted natives and where its PyTorch engine is.
   */
  static final Map<String, String> LIBRARY_VARIABLES =
      Map.of(
          "DJL_CACHE_DIR", "ai.djl.",
          "PYTORCH_LIBRARY_PATH", "ai.djl.",
          "PYTORCH_FLAVOR", "ai.djl.",
          "PYTORCH_VERSION", "ai.djl.");

  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::[^}]*)?}");

  private ServiceConfig() {}

  static Path properties(String service) {
    return Repo.service(service).resolve("src/main/resources/application.properties");
  }

  /** Environment variable names the service reads, Kafka client settings apart. */
  static Set<String> readBy(String service) {
    String text = read(properties(service));
    Set<String> names = new TreeSet<>(IMAGE_VARIABLES);
    Matcher m = REFERENCE.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    for (String key : propertyKeys(text)) {
      names.add(environmentName(key));
    }
    for (String property : mappedProperties(service)) {
      if (!property.contains("*")) {
        names.add(environmentName(property));
      }
    }
    String sources = mainSources(service);
    LIBRARY_VARIABLES.forEach(
        (variable, pkg) -> {
          if (sources.contains("import " + pkg)) {
            names.add(variable);
          }
        });
    return names;
  }

  /**
   * Whether {@code variable} is read by the service: one of {@link #readBy}, or a {@code KAFKA_X_Y}
   * setting that Quarkus hands to its Kafka clients as {@code x.y} and that is a real client
   * setting (a misspelt one would be passed on and ignored).
   */
  static boolean reads(String service, String variable) {
    return readBy(service).contains(variable) || kafkaClientSetting(service, variable) != null;
  }

  /**
   * The Kafka client setting {@code variable} is for the service, or null: Quarkus' Kafka extension
   * turns every {@code KAFKA_*} variable into a client setting (lower case, {@code _} as {@code .})
   * when the service uses Kafka ({@code kafka.bootstrap.servers} set).
   */
  static String kafkaClientSetting(String service, String variable) {
    if (!variable.startsWith("KAFKA_")
        || !propertyKeys(read(properties(service))).contains("kafka.bootstrap.servers")) {
      return null;
    }
    String setting =
        variable.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
    Set<String> known = new TreeSet<>(ConsumerConfig.configNames());
    known.addAll(ProducerConfig.configNames());
    known.addAll(AdminClientConfig.configNames());
    return known.contains(setting) ? setting : null;
  }

  /**
   * The property names the service reads, for a config file: those set in its
   * application.properties and those of its config mappings, where {@code *} stands for one map key
   * (e.g. {@code alfer.label.vendors.*.api-key-sha256}).
   */
  static Set<String> propertyNames(String service) {
    Set<String> names = new TreeSet<>(propertyKeys(read(properties(service))));
    names.addAll(mappedProperties(service));
    return names;
  }

  /**
   * The properties of the service's config mappings and of those of the shared service kit, when
   * its pom depends on the kit (the kit's mappings, e.g. {@code alfer.s3.*}, are then part of it).
   */
  static Set<String> mappedProperties(String service) {
    Set<String> names = new TreeSet<>(ConfigMappings.properties(Repo.service(service)));
    if (read(Repo.service(service).resolve("pom.xml")).contains("<artifactId>alfer-service-kit<")) {
      names.addAll(ConfigMappings.properties(Repo.root().resolve("libs/service-kit")));
    }
    return names;
  }

  /**
   * Whether the service uses the object store: it reads {@code alfer.s3.*} and does not switch it
   * off with {@code alfer.s3.enabled=false} (the service kit's mapping is read by every service
   * that uses the kit, the oracle included).
   */
  static boolean usesObjectStore(String service) {
    return propertyNames(service).contains("alfer.s3.endpoint")
        && !Pattern.compile("(?m)^alfer\\.s3\\.enabled\\s*=\\s*false\\s*$")
            .matcher(read(properties(service)))
            .find();
  }

  /** Whether {@code property} is one of {@code names}, a {@code *} matching one map key. */
  static boolean matches(Set<String> names, String property) {
    if (names.contains(property)) {
      return true;
    }
    for (String name : names) {
      if (name.contains("*")) {
        String regex =
            Stream.of(name.split("\\*", -1))
                .map(Pattern::quote)
                .reduce((a, b) -> a + "[^.]+" + b)
                .get();
        if (property.matches(regex)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The keys of a properties text, profile prefixes other than %prod dropped with their line. */
  static Set<String> propertyKeys(String text) {
    Set<String> keys = new TreeSet<>();
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
      keys.add(key);
    }
    return keys;
  }

  /** MicroProfile Config's environment form of a property name. */
  static String environmentName(String property) {
    return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
  }

  /** All main Java sources of the service, concatenated. */
  static String mainSources(String service) {
    Path dir = Repo.service(service).resolve("src/main/java");
    if (!Files.isDirectory(dir)) {
      return "";
    }
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        all.append(Files.readString(f)).append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all.toString();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * The properties of a module's {@code @ConfigMapping} interfaces, read from their source: the
   * prefix, then each method in kebab case (or its {@code @WithName}), nested interfaces below
   * their method's name, {@code *} for the key of a {@code Map<String, ...>}.
   */
  static final class ConfigMappings {
    private static final Pattern MAPPING =
        Pattern.compile("@ConfigMapping\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"\\s*\\)");
    private static final Pattern INTERFACE = Pattern.compile("\\binterface\\s+(\\w+)\\s*\\{");
    private static final Pattern MEMBER =
        Pattern.compile(
            "((?:@\\w+(?:\\([^)]*\\))?\\s*)*)([\\w.]+(?:<[^;()]*>)?)\\s+(\\w+)\\s*\\(\\s*\\)\\s*;");
    private static final Pattern WITH_NAME = Pattern.compile("@WithName\\(\\s*\"([^\"]+)\"\\s*\\)");
    private static final Pattern MAP_VALUE =
        Pattern.compile("Map<\\s*String\\s*,\\s*([\\w.]+)\\s*>");
    private static final Pattern WRAPPED =
        Pattern.compile("(?:Optional|List|Set)<\\s*([\\w.]+)\\s*>");

    private ConfigMappings() {}

    static Set<String> properties(Path module) {
      Set<String> properties = new TreeSet<>();
      Path dir = module.resolve("src/main/java");
      if (!Files.isDirectory(dir)) {
        return properties;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          String source = stripComments(Files.readString(f));
          Matcher mapping = MAPPING.matcher(source);
          if (!mapping.find()) {
            continue;
          }
          Map<String, String> bodies = interfaceBodies(source);
          Matcher top = INTERFACE.matcher(source);
          if (top.find(mapping.end())) {
            collect(mapping.group(1), top.group(1), bodies, properties, 0);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return properties;
    }

    private static void collect(
        String prefix, String type, Map<String, String> bodies, Set<String> out, int depth) {
      if (depth > 8) {
        throw new IllegalStateException("config mapping nested too deep at " + prefix);
      }
      Matcher m = MEMBER.matcher(bodies.get(type));
      while (m.find()) {
        Matcher named = WITH_NAME.matcher(m.group(1));
        String name = named.find() ? named.group(1) : kebab(m.group(3));
        String returned = m.group(2);
        String property = prefix + "." + name;
        Matcher map = MAP_VALUE.matcher(returned);
        Matcher wrapped = WRAPPED.matcher(returned);
        if (map.matches()) {
          property += ".*";
          returned = map.group(1);
        } else if (wrapped.matches()) {
          returned = wrapped.group(1);
        }
        if (bodies.containsKey(returned)) {
          collect(property, returned, bodies, out, depth + 1);
        } else {
          out.add(property);
        }
      }
    }

    /** Each interface's own body (nested interfaces cut out), by simple name. */
    private static Map<String, String> interfaceBodies(String source) {
      Map<String, String> bodies = new LinkedHashMap<>();
      Matcher m = INTERFACE.matcher(source);
      while (m.find()) {
        int open = m.end() - 1;
        int close = matchingBrace(source, open);
        String body = source.substring(open + 1, close);
        List<int[]> nested = new ArrayList<>();
        Matcher inner = INTERFACE.matcher(body);
        int from = 0;
        while (inner.find(from)) {
          int end = matchingBrace(body, inner.end() - 1);
          nested.add(new int[] {inner.start(), end + 1});
          from = end + 1;
        }
        StringBuilder own = new StringBuilder(body);
        for (int i = nested.size() - 1; i >= 0; i--) {
          own.delete(nested.get(i)[0], nested.get(i)[1]);
        }
        bodies.put(m.group(1), own.toString());
      }
      return bodies;
    }

    private static int matchingBrace(String s, int open) {
      int depth = 0;
      for (int i = open; i < s.length(); i++) {
        if (s.charAt(i) == '{') {
          depth++;
        } else if (s.charAt(i) == '}' && --depth == 0) {
          return i;
        }
      }
      throw new IllegalStateException("unbalanced braces in a config mapping");
    }

    private static String stripComments(String source) {
      return source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("(?m)//.*$", "");
    }

    /** SmallRye's default naming of a mapping method: {@code maxImageBytes} is max-image-bytes. */
    static String kebab(String method) {
      return method.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
  }
}
