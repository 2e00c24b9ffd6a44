package io.alfer.oracle.config;

import io.alfer.core.messaging.VendorTopics;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The oracle is a vendor like any other (contract v2): it reads its own task topic and writes its
 * own result topic. Its channels' topics are configuration; this stops the service at start, naming
 * each setting, when they are not the topics of {@code alfer.oracle.vendor}.
 */
@ApplicationScoped
public class VendorTopicsCheck {
  private final List<String> mismatches = new ArrayList<>();

  public VendorTopicsCheck(
      OracleConfig config,
      @ConfigProperty(name = "mp.messaging.incoming.tasks-in.topic") String tasks,
      @ConfigProperty(name = "mp.messaging.incoming.tasks-in.dead-letter-queue.topic")
          String refused,
      @ConfigProperty(name = "mp.messaging.outgoing.results-out.topic") String results) {
    String vendor = VendorTopics.vendor(config.vendor());
    expect("mp.messaging.incoming.tasks-in.topic", tasks, VendorTopics.tasks(vendor));
    expect(
        "mp.messaging.incoming.tasks-in.dead-letter-queue.topic",
        refused,
        VendorTopics.refusedTasks(vendor));
    expect("mp.messaging.outgoing.results-out.topic", results, VendorTopics.results(vendor));
  }

  private void expect(String setting, String actual, String wanted) {
    if (!wanted.equals(actual)) {
      mismatches.add(setting + " is " + actual + ", not " + wanted);
    }
  }

  void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
    if (!mismatches.isEmpty()) {
      throw new IllegalStateException(
          "the oracle's topics are not those of its vendor (alfer.oracle.vendor): " + mismatches);
    }
  }
}
