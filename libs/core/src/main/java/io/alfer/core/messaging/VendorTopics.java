package io.alfer.core.messaging;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The topics of one annotation vendor (vendor contract v2): every vendor has its own, under the
 * prefix {@code alfer.vendor.<vendor>.}, so that one prefixed ACL gives a vendor its topics and
 * nothing else — no vendor sees another's tasks or can write another's results.
 *
 * <ul>
 *   <li>{@code alfer.vendor.<v>.tasks}: the label service's {@code LabelTask}s for the vendor
 *       (JSON, key = task id);
 *   <li>{@code alfer.vendor.<v>.results}: the vendor's {@code LabelResult}s (JSON, key = task id);
 *       the label service takes the vendor from this topic's name, never from the record;
 *   <li>{@code alfer.vendor.<v>.results.dlq}: the vendor's results the label service refused, each
 *       with its reason (the vendor may read them);
 *   <li>{@code alfer.vendor.<v>.tasks.dlq}: tasks the vendor's own consumer could not take (for
 *       vendors that dead-letter, like the oracle).
 * </ul>
 */
public final class VendorTopics {
  /** The prefix of every vendor topic. */
  public static final String PREFIX = "alfer.vendor.";

  /**
   * Allowed vendor names: they become topic names, a Kafka user, a consumer group and a Kubernetes
   * object name (lower-case letters, digits and inner hyphens, at most 63).
   */
  public static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private static final Pattern RESULTS =
      Pattern.compile(Pattern.quote(PREFIX) + "(" + NAME.pattern() + ")\\.results");

  private VendorTopics() {}

  /**
   * Checks a vendor name.
   *
   * @throws IllegalArgumentException naming the rule when it is not a valid vendor name
   */
  public static String vendor(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "vendor name '"
              + name
              + "' must match "
              + NAME.pattern()
              + " (it names the vendor's topics, Kafka user and consumer group)");
    }
    return name;
  }

  /** The prefix of one vendor's topics, {@code alfer.vendor.<v>.} (its ACLs' resource). */
  public static String prefix(String vendor) {
    return PREFIX + vendor(vendor) + ".";
  }

  /** The vendor's task topic. */
  public static String tasks(String vendor) {
    return prefix(vendor) + "tasks";
  }

  /** The vendor's result topic. */
  public static String results(String vendor) {
    return prefix(vendor) + "results";
  }

  /** Where the label service puts the vendor's refused results. */
  public static String refusedResults(String vendor) {
    return results(vendor) + Topic.DLQ_SUFFIX;
  }

  /** Where the vendor's own consumer puts tasks it cannot take. */
  public static String refusedTasks(String vendor) {
    return tasks(vendor) + Topic.DLQ_SUFFIX;
  }

  /** The vendor whose result topic this is, if it is one. */
  public static Optional<String> vendorOfResults(String topic) {
    Matcher m = RESULTS.matcher(topic == null ? "" : topic);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** Every topic of a vendor. */
  public static List<String> all(String vendor) {
    return List.of(tasks(vendor), results(vendor), refusedResults(vendor), refusedTasks(vendor));
  }

  /** A vendor's topics to create (delete policy), with {@code partitions} partitions. */
  public static List<NewTopic> newTopics(String vendor, int partitions) {
    return all(vendor).stream()
        .map(
            name ->
                new NewTopic(name, partitions, (short) 1)
                    .configs(
                        Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)))
        .toList();
  }
}
