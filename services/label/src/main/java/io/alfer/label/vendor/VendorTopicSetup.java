package io.alfer.label.vendor;

import io.alfer.core.messaging.KafkaConnection;
import io.alfer.core.messaging.TopicSetup;
import io.alfer.core.messaging.VendorTopics;
import io.alfer.label.config.LabelConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.jboss.logging.Logger;

/**
 * Creates the registered vendors' topics that are missing ({@link VendorTopics}), before the state
 * is replayed from them, when {@code alfer.label.create-vendor-topics} is on (the local stack and
 * tests). In Kubernetes it is off: the KafkaTopic manifests create them, and the service's user may
 * not.
 */
@ApplicationScoped
public class VendorTopicSetup {
  private static final Logger LOG = Logger.getLogger(VendorTopicSetup.class);

  private final LabelConfig config;
  private final VendorRegistry vendors;
  private final Map<String, Object> kafka;

  public VendorTopicSetup(
      LabelConfig config,
      VendorRegistry vendors,
      @Identifier("default-kafka-broker") Map<String, Object> kafka) {
    this.config = config;
    this.vendors = vendors;
    this.kafka = kafka;
  }

  void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
    if (!config.createVendorTopics()) {
      return;
    }
    try (Admin client = Admin.create(KafkaConnection.settings(kafka))) {
      Set<String> created =
          TopicSetup.createMissing(
              client,
              vendors.names().stream()
                  .flatMap(v -> VendorTopics.newTopics(v, TopicSetup.PARTITIONS).stream())
                  .toList());
      if (!created.isEmpty()) {
        LOG.infof("created the vendor topics %s", created);
      }
    }
  }
}
