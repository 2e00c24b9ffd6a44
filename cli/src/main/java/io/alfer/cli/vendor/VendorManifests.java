package io.alfer.cli.vendor;

import io.alfer.core.messaging.VendorTopics;
import java.util.List;

/**
 * The Kubernetes manifests of one annotation vendor (contract v2): its KafkaUser, whose ACLs cover
 * its own topics only, and its four KafkaTopics. What {@code alfer vendor add} writes to {@code
 * deploy/k8s/base/kafka/vendors/<name>.yaml}; the example vendor's file there is this output.
 */
public final class VendorManifests {
  private static final String KEEP_90_DAYS =
      """
          cleanup.policy: delete
          # label rebuilds its state from this topic at every start
          # (services/label/adr/0001-task-state.md): it must outlive a campaign. 90 days.
          retention.ms: 7776000000
      """;

  private VendorManifests() {}

  /** The file for {@code vendor}: the KafkaUser, then its topics. */
  public static String of(String vendor) {
    VendorTopics.vendor(vendor);
    StringBuilder out = new StringBuilder();
    out.append(
        """
        # Annotation vendor "%1$s" (vendor contract v2, docs/vendor-contract.md): its Kafka user and
        # its four topics, all under its own prefix %2$s — written by
        #   ./alfer vendor add %1$s
        # (deploy/README.md, "Onboarding an annotation vendor"). The User Operator creates its
        # SCRAM-SHA-512 password in the Secret %1$s; the vendor connects to the "vendors" listener.
        # It reads its tasks with its own consumer group, writes its results and reads its refused results;
        # it cannot write its task topic (the label service rebuilds its state from it) nor touch another
        # vendor's topics.
        apiVersion: kafka.strimzi.io/v1
        kind: KafkaUser
        metadata:
          name: %1$s
          labels:
            strimzi.io/cluster: alfer
            alfer.io/vendor: %1$s
        spec:
          authentication:
            type: scram-sha-512
          authorization:
            type: simple
            acls:
        """
            .formatted(vendor, VendorTopics.prefix(vendor)));
    acl(out, "topic", VendorTopics.tasks(vendor), List.of("Describe", "Read"));
    acl(out, "group", vendor, List.of("Read"));
    acl(out, "topic", VendorTopics.results(vendor), List.of("Describe", "Write"));
    acl(out, "topic", VendorTopics.refusedResults(vendor), List.of("Describe", "Read"));
    topic(
        out,
        vendor,
        VendorTopics.tasks(vendor),
        "the label service's tasks for the vendor (contract v2), JSON + CloudEvents headers; key ="
            + " task id.",
        6,
        KEEP_90_DAYS);
    topic(
        out,
        vendor,
        VendorTopics.results(vendor),
        "the vendor's answers (contract v2), JSON + CloudEvents headers; key = task id.",
        6,
        KEEP_90_DAYS
            + """
                # The broker, not the vendor, stamps results: lateness is judged on this time (same ADR).
                message.timestamp.type: LogAppendTime
            """);
    topic(
        out,
        vendor,
        VendorTopics.refusedResults(vendor),
        "the vendor's results the label service refused, with the reason in the headers (the vendor"
            + " may read it).",
        1,
        KEEP_90_DAYS);
    topic(
        out,
        vendor,
        VendorTopics.refusedTasks(vendor),
        "tasks the vendor's own consumer could not take (a vendor that dead-letters, like the"
            + " oracle).",
        1,
        """
            cleanup.policy: delete
            retention.ms: 7776000000
        """);
    return out.toString();
  }

  private static void acl(StringBuilder out, String type, String name, List<String> operations) {
    out.append("      - resource:\n")
        .append("          type: ")
        .append(type)
        .append('\n')
        .append("          name: ")
        .append(name)
        .append('\n')
        .append("          patternType: literal\n")
        .append("        operations:\n");
    operations.forEach(op -> out.append("          - ").append(op).append('\n'));
  }

  private static void topic(
      StringBuilder out, String vendor, String name, String what, int partitions, String config) {
    out.append("---\n")
        .append("# ")
        .append(name)
        .append(": ")
        .append(what)
        .append('\n')
        .append(
            """
            apiVersion: kafka.strimzi.io/v1
            kind: KafkaTopic
            metadata:
              name: %s
              labels:
                strimzi.io/cluster: alfer
                alfer.io/vendor: %s
            spec:
              topicName: %s
              partitions: %d
              replicas: 3
              config:
            """
                .formatted(name.replace('.', '-'), vendor, name, partitions))
        .append(config);
  }
}
