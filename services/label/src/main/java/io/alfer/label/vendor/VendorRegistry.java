package io.alfer.label.vendor;

import io.alfer.core.messaging.VendorTopics;
import io.alfer.core.storage.Hashes;
import io.alfer.label.config.LabelConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The registered vendors ({@code alfer.label.vendors.<name>.*}), their task lifetimes and their API
 * keys, of which only the SHA-256 is configured. A presented key is hashed and compared in constant
 * time with every registered hash. A vendor's name names its topics ({@link VendorTopics}): a name
 * that cannot stops the service at start, saying why.
 */
@ApplicationScoped
public class VendorRegistry {
  private final Map<String, byte[]> keyHashes = new TreeMap<>();
  private final Map<String, Duration> taskTtls = new TreeMap<>();
  private final Duration taskTtl;
  private final Set<String> names;

  public VendorRegistry(LabelConfig config) {
    config.vendors().keySet().forEach(VendorTopics::vendor);
    this.taskTtl = positive("alfer.label.task-ttl", config.taskTtl());
    config
        .vendors()
        .forEach(
            (name, vendor) ->
                vendor
                    .taskTtl()
                    .ifPresent(
                        ttl ->
                            taskTtls.put(
                                name, positive("alfer.label.vendors." + name + ".task-ttl", ttl))));
    config
        .vendors()
        .forEach(
            (name, vendor) ->
                vendor
                    .apiKeySha256()
                    .filter(h -> !h.isBlank())
                    .ifPresent(
                        h -> keyHashes.put(name, HexFormat.of().parseHex(h.trim().toLowerCase()))));
    this.names = Set.copyOf(config.vendors().keySet());
  }

  private static Duration positive(String key, Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalStateException(key + "=" + ttl + " must be positive");
    }
    return ttl;
  }

  /**
   * How long {@code vendor} has to answer a task: its own {@code task-ttl}, or {@code
   * alfer.label.task-ttl}.
   */
  public Duration taskTtl(String vendor) {
    return taskTtls.getOrDefault(vendor, taskTtl);
  }

  /** Every registered vendor. */
  public Set<String> names() {
    return names;
  }

  /** The vendor an API key belongs to, if any. */
  public Optional<String> vendorOf(String apiKey) {
    if (apiKey == null || apiKey.isEmpty()) {
      return Optional.empty();
    }
    byte[] presented =
        HexFormat.of().parseHex(Hashes.sha256Hex(apiKey.getBytes(StandardCharsets.UTF_8)));
    String match = null;
    for (Map.Entry<String, byte[]> e : keyHashes.entrySet()) {
      if (MessageDigest.isEqual(presented, e.getValue())) {
        match = e.getKey();
      }
    }
    return Optional.ofNullable(match);
  }
}
