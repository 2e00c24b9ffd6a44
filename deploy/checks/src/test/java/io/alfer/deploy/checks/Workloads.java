package io.alfer.deploy.checks;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.List;

/** The workloads of a rendered overlay: every object that runs pods. */
record Workloads(List<Workload> all) {
  /** Label of the Deployments that run an alfer service (services/NAME). */
  static final String COMPONENT = "app.kubernetes.io/component";

  static final String NAME = "app.kubernetes.io/name";

  /** One object that runs pods, with its pod template. */
  record Workload(HasMetadata object, PodTemplateSpec template, boolean longRunning) {
    String id() {
      return object.getKind() + "/" + object.getMetadata().getName();
    }

    /** Whether this runs one of alfer's own services (label component=service). */
    boolean isAlferService() {
      var labels = object.getMetadata().getLabels();
      return labels != null && "service".equals(labels.get(COMPONENT));
    }

    /** The service's name, which is also its Maven module services/NAME. */
    String serviceName() {
      return object.getMetadata().getLabels().get(NAME);
    }
  }

  static Workloads of(Manifests manifests) {
    List<Workload> all = new ArrayList<>();
    for (Deployment d : manifests.all(Deployment.class)) {
      all.add(new Workload(d, d.getSpec().getTemplate(), true));
    }
    for (StatefulSet s : manifests.all(StatefulSet.class)) {
      all.add(new Workload(s, s.getSpec().getTemplate(), true));
    }
    for (Job j : manifests.all(Job.class)) {
      all.add(new Workload(j, j.getSpec().getTemplate(), false));
    }
    return new Workloads(all);
  }

  List<Workload> services() {
    return all.stream().filter(Workload::isAlferService).toList();
  }
}
