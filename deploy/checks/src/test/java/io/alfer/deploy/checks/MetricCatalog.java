package io.alfer.deploy.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.strimzi.api.kafka.model.common.metrics.JmxPrometheusExporterMetrics;
import io.strimzi.api.kafka.model.kafka.Kafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every metric name Prometheus can see from alfer, and who exports it, so that a dashboard panel or
 * an alert naming anything else fails (MonitoringTest).
 *
 * <ul>
 *   <li>The alfer services' own meters are found in their sources (services/NAME/src/main/java and
 *       libs/NAME/src/main/java), each declaration a literal name ({@code Counter.builder("x")},
 *       {@code registry.counter("x", ...)}, {@code @Timed("x")}, ...); a declaration whose name is
 *       not a literal fails, so no meter is missed. Each is then registered, with its type, base
 *       unit and percentiles, in the very Prometheus registry the services run (Micrometer's
 *       simpleclient registry, through quarkus-micrometer-registry-prometheus) and the names come
 *       from its scrape: {@code _total}, {@code _seconds_count}, {@code _max}, ... as Prometheus
 *       sees them, not as this class guesses them.
 *   <li>What every Quarkus service exports besides: Micrometer's JVM and process binders
 *       (registered here as Quarkus registers them) and the HTTP server timer.
 *   <li>Outside alfer, listed by hand from each exporter's documentation: Prometheus' own {@code
 *       up}, kube-state-metrics, Strimzi's Kafka Exporter and MinIO's cluster metrics (v2); the
 *       Kafka nodes' JMX metrics are the names of the rules in the rendered ConfigMap that the
 *       Kafka resource's metricsConfig points at.
 * </ul>
 */
final class MetricCatalog {
  /** Prometheus' own series for every target. */
  static final Set<String> PROMETHEUS = Set.of("up");

  /**
   * kube-state-metrics (part of kube-prometheus-stack): what the readiness alerts and the Health
   * rows read.
   */
  static final Set<String> KUBE_STATE_METRICS =
      Set.of(
          "kube_deployment_status_replicas_available",
          "kube_deployment_spec_replicas",
          "kube_pod_container_status_restarts_total");

  /**
   * Strimzi's Kafka Exporter (kafka_exporter): per consumer group, topic and partition (labels
   * consumergroup, topic, partition).
   */
  static final Set<String> KAFKA_EXPORTER =
      Set.of(
          "kafka_brokers",
          "kafka_topic_partitions",
          "kafka_topic_partition_current_offset",
          "kafka_topic_partition_oldest_offset",
          "kafka_topic_partition_in_sync_replica",
          "kafka_topic_partition_leader",
          "kafka_topic_partition_replicas",
          "kafka_topic_partition_under_replicated_partition",
          "kafka_consumergroup_current_offset",
          "kafka_consumergroup_current_offset_sum",
          "kafka_consumergroup_lag",
          "kafka_consumergroup_lag_sum",
          "kafka_consumergroup_members");

  /** MinIO's cluster metrics, version 2 (/minio/v2/metrics/cluster). */
  static final Set<String> MINIO =
      Set.of(
          "minio_cluster_capacity_usable_free_bytes",
          "minio_cluster_capacity_usable_total_bytes",
          "minio_cluster_capacity_raw_free_bytes",
          "minio_cluster_capacity_raw_total_bytes",
          "minio_cluster_drive_offline_total",
          "minio_cluster_drive_online_total",
          "minio_cluster_nodes_offline_total",
          "minio_cluster_nodes_online_total",
          "minio_s3_requests_total",
          "minio_s3_requests_errors_total",
          "minio_s3_traffic_received_bytes",
          "minio_s3_traffic_sent_bytes");

  /** The Micrometer meter classes whose {@code builder("name")} declares a meter. */
  private static final Pattern BUILDER =
      Pattern.compile(
          "\\b(Counter|Timer|Gauge|DistributionSummary|LongTaskTimer|FunctionCounter|FunctionTimer"
              + "|TimeGauge|MultiGauge)\\.builder\\(\\s*");

  /** {@code registry.counter("name", ...)} and the like, on a MeterRegistry. */
  private static final Pattern SHORTHAND =
      Pattern.compile("\\.(counter|timer|gauge|summary|more\\(\\)\\.longTaskTimer)\\(\\s*");

  private static final Pattern ANNOTATION =
      Pattern.compile("@(Counted|Timed)\\b(\\(\\s*(value\\s*=\\s*)?)?");

  private static final Pattern LITERAL = Pattern.compile("\"([^\"]+)\"");

  /** One meter declared in a service's sources. */
  record Meter(
      String service,
      String type,
      String name,
      String baseUnit,
      boolean percentiles,
      String where) {}

  /** A metric name as Prometheus sees it, and who exports it. */
  record Source(String exporter, String detail) {}

  private final Map<String, Source> names;

  private MetricCatalog(Map<String, Source> names) {
    this.names = names;
  }

  /**
   * The catalog of the repository at {@code root}, the Kafka rules taken from {@code manifests}.
   */
  static MetricCatalog of(Path root, Manifests manifests) {
    Map<String, Source> names = new TreeMap<>();
    for (Meter m : meters(root)) {
      for (String n : prometheusNames(List.of(m))) {
        names.putIfAbsent(n, new Source(m.service(), m.where()));
      }
    }
    for (String n : quarkusNames()) {
      names.putIfAbsent(n, new Source("*", "Quarkus: JVM, process and HTTP server meters"));
    }
    PROMETHEUS.forEach(n -> names.put(n, new Source("prometheus", "scrape")));
    KUBE_STATE_METRICS.forEach(n -> names.put(n, new Source("kube-state-metrics", "")));
    KAFKA_EXPORTER.forEach(n -> names.put(n, new Source("kafka-exporter", "")));
    MINIO.forEach(n -> names.put(n, new Source("minio", "v2 cluster")));
    kafkaJmxNames(manifests).forEach(n -> names.put(n, new Source("kafka", "JMX exporter rule")));
    return new MetricCatalog(names);
  }

  boolean exists(String name) {
    return names.containsKey(name);
  }

  /** The alfer service that exports {@code name} ("*" for every service), or null. */
  String service(String name) {
    Source s = names.get(name);
    if (s == null) {
      return null;
    }
    return s.exporter();
  }

  Set<String> all() {
    return names.keySet();
  }

  /** Every meter declared in the main sources of services/* and libs/*. */
  static List<Meter> meters(Path root) {
    List<Meter> meters = new ArrayList<>();
    for (String parent : List.of("services", "libs")) {
      Path dir = root.resolve(parent);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> modules = Files.list(dir)) {
        for (Path module : modules.filter(Files::isDirectory).sorted().toList()) {
          Path src = module.resolve("src/main/java");
          if (!Files.isDirectory(src)) {
            continue;
          }
          try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
              meters.addAll(
                  meters(
                      module.getFileName().toString(),
                      root.relativize(f).toString(),
                      Files.readString(f)));
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return meters;
  }

  /**
   * The meters declared in one source file. Fails where a meter's name is not a string literal
   * (this catalog could not know it).
   */
  static List<Meter> meters(String service, String file, String source) {
    List<Meter> meters = new ArrayList<>();
    if (!source.contains("io.micrometer")) {
      return meters;
    }
    String code = withoutComments(source);
    Matcher b = BUILDER.matcher(code);
    while (b.find()) {
      String type =
          switch (b.group(1)) {
            case "Counter", "FunctionCounter" -> "counter";
            case "Timer", "FunctionTimer" -> "timer";
            case "Gauge", "MultiGauge" -> "gauge";
            case "TimeGauge" -> "timegauge";
            case "DistributionSummary" -> "summary";
            default -> "longtasktimer";
          };
      String name = literalAt(code, b.end(), service, file);
      String statement = statement(code, b.end());
      meters.add(
          new Meter(
              service,
              type,
              name,
              argument(statement, "baseUnit"),
              statement.contains(".publishPercentiles("),
              file + ":" + line(code, b.start())));
    }
    if (source.contains("io.micrometer.core.instrument.MeterRegistry")) {
      Matcher s = SHORTHAND.matcher(code);
      while (s.find()) {
        if (s.end() < code.length() && code.charAt(s.end()) == ')') {
          continue; // a call without arguments (a search's result, say), not a declaration
        }
        String type =
            switch (s.group(1)) {
              case "counter" -> "counter";
              case "timer" -> "timer";
              case "gauge" -> "gauge";
              case "summary" -> "summary";
              default -> "longtasktimer";
            };
        meters.add(
            new Meter(
                service,
                type,
                literalAt(code, s.end(), service, file),
                null,
                false,
                file + ":" + line(code, s.start())));
      }
    }
    Matcher a = ANNOTATION.matcher(code);
    while (a.find()) {
      if (a.group(2) == null) {
        throw new AssertionError(
            file
                + ":"
                + line(code, a.start())
                + ": @"
                + a.group(1)
                + " without a literal name: give"
                + " it one (the monitoring checks must know the meter's name)");
      }
      meters.add(
          new Meter(
              service,
              a.group(1).equals("Counted") ? "counter" : "timer",
              literalAt(code, a.end(), service, file),
              null,
              false,
              file + ":" + line(code, a.start())));
    }
    return meters;
  }

  /** The names Prometheus shows for {@code meters}, from a scrape of the services' registry. */
  static Set<String> prometheusNames(List<Meter> meters) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    for (Meter m : meters) {
      register(registry, m);
    }
    return scrapedNames(registry);
  }

  private static void register(MeterRegistry registry, Meter m) {
    switch (m.type()) {
      case "counter" -> Counter.builder(m.name()).baseUnit(m.baseUnit()).register(registry);
      case "timer" -> {
        Timer.Builder t = Timer.builder(m.name());
        if (m.percentiles()) {
          t.publishPercentiles(0.5);
        }
        t.register(registry);
      }
      case "gauge" -> Gauge.builder(m.name(), () -> 0).baseUnit(m.baseUnit()).register(registry);
      case "timegauge" ->
          io.micrometer.core.instrument.TimeGauge.builder(
                  m.name(), () -> 0, java.util.concurrent.TimeUnit.SECONDS)
              .register(registry);
      case "summary" -> {
        DistributionSummary.Builder s =
            DistributionSummary.builder(m.name()).baseUnit(m.baseUnit());
        if (m.percentiles()) {
          s.publishPercentiles(0.5);
        }
        s.register(registry);
      }
      default -> LongTaskTimer.builder(m.name()).register(registry);
    }
  }

  /** What every Quarkus service exports whatever its code: JVM, process and HTTP server meters. */
  static Set<String> quarkusNames() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    try (JvmGcMetrics gc = new JvmGcMetrics()) {
      gc.bindTo(registry);
      // Registered by the GC binder at the first collection it is told of.
      Timer.builder("jvm.gc.pause").register(registry);
      // Quarkus' HTTP server binder (quarkus.micrometer.binder.http-server, on by default).
      Timer.builder("http.server.requests").register(registry);
      return scrapedNames(registry);
    }
  }

  /** The sample names of a scrape in Prometheus' text format. */
  static Set<String> scrapedNames(PrometheusMeterRegistry registry) {
    Set<String> names = new TreeSet<>();
    for (String line : registry.scrape().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
        end++;
      }
      names.add(line.substring(0, end));
    }
    return names;
  }

  /**
   * The metric names of the JMX exporter rules that the Kafka resource's metricsConfig points at (a
   * ConfigMap of {@code manifests}); none where Kafka's metrics are off.
   */
  static Set<String> kafkaJmxNames(Manifests manifests) {
    Set<String> names = new TreeSet<>();
    for (Kafka kafka : manifests.all(Kafka.class)) {
      if (!(kafka.getSpec().getKafka().getMetricsConfig()
          instanceof JmxPrometheusExporterMetrics jmx)) {
        continue;
      }
      var ref = jmx.getValueFrom().getConfigMapKeyRef();
      ConfigMap cm =
          manifests
              .find(ConfigMap.class, ref.getName())
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "Kafka's metricsConfig names ConfigMap "
                              + ref.getName()
                              + ", which is not rendered"));
      String yaml = cm.getData() == null ? null : cm.getData().get(ref.getKey());
      if (yaml == null) {
        throw new AssertionError("ConfigMap " + ref.getName() + " has no key " + ref.getKey());
      }
      try {
        JsonNode rules = new YAMLMapper().readTree(yaml).path("rules");
        for (JsonNode rule : rules) {
          String name = rule.path("name").asText("");
          if (name.isEmpty() || !name.matches("[a-z_:][a-z0-9_:]*")) {
            throw new AssertionError(
                "a JMX exporter rule of "
                    + ref.getName()
                    + " without a literal lower-case name: "
                    + rule);
          }
          names.add(name);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return names;
  }

  private static String literalAt(String code, int at, String service, String file) {
    Matcher m = LITERAL.matcher(code);
    if (!m.find(at) || m.start() != at) {
      throw new AssertionError(
          file
              + ":"
              + line(code, at)
              + ": a meter of "
              + service
              + " whose name is not a string"
              + " literal; write it as one, so that the monitoring checks (MetricCatalog) know it");
    }
    return m.group(1);
  }

  /** The builder chain from {@code at} up to its {@code register(...)} or the statement's end. */
  private static String statement(String code, int at) {
    int semicolon = code.indexOf(';', at);
    int register = code.indexOf(".register(", at);
    int end = semicolon < 0 ? code.length() : semicolon;
    if (register >= 0 && register < end) {
      end = register;
    }
    return code.substring(at, end);
  }

  /** The literal argument of {@code .method("x")} in {@code statement}, or null. */
  private static String argument(String statement, String method) {
    Matcher m = Pattern.compile("\\." + method + "\\(\\s*\"([^\"]*)\"").matcher(statement);
    return m.find() ? m.group(1) : null;
  }

  private static int line(String code, int offset) {
    int line = 1;
    for (int k = 0; k < offset && k < code.length(); k++) {
      if (code.charAt(k) == '\n') {
        line++;
      }
    }
    return line;
  }

  /** The source with comments blanked (newlines kept, so line numbers stay right). */
  static String withoutComments(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int k = 0;
    while (k < source.length()) {
      char c = source.charAt(k);
      if (source.startsWith("\"\"\"", k)) {
        int end = source.indexOf("\"\"\"", k + 3);
        end = end < 0 ? source.length() : end + 3;
        out.append(source, k, end);
        k = end;
      } else if (c == '\'') {
        int end = k + 1;
        while (end < source.length() && source.charAt(end) != '\'') {
          end += source.charAt(end) == '\\' ? 2 : 1;
        }
        out.append(source, k, Math.min(end + 1, source.length()));
        k = end + 1;
      } else if (c == '"') {
        int end = k + 1;
        while (end < source.length() && source.charAt(end) != '"') {
          end += source.charAt(end) == '\\' ? 2 : 1;
        }
        out.append(source, k, Math.min(end + 1, source.length()));
        k = end + 1;
      } else if (source.startsWith("//", k)) {
        while (k < source.length() && source.charAt(k) != '\n') {
          out.append(' ');
          k++;
        }
      } else if (source.startsWith("/*", k)) {
        int end = source.indexOf("*/", k + 2);
        end = end < 0 ? source.length() : end + 2;
        for (; k < end; k++) {
          out.append(source.charAt(k) == '\n' ? '\n' : ' ');
        }
      } else {
        out.append(c);
        k++;
      }
    }
    return out.toString();
  }
}
