package io.alfer.deploy.checks;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** The first container, the service's. */
    Container container() {
      return template.getSpec().getContainers().get(0);
    }

    /**
     * The literal environment of the first container as Kubernetes builds it: the data of the
     * ConfigMaps it takes whole (later ones win), then its own variables with a value. Secrets and
     * references are left out (their values are not in the manifests).
     */
    Map<String, String> environment(Manifests manifests) {
      Map<String, String> env = new LinkedHashMap<>();
      Container c = container();
      for (EnvFromSource from :
          c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
        if (from.getConfigMapRef() != null) {
          manifests
              .find(ConfigMap.class, from.getConfigMapRef().getName())
              .ifPresent(cm -> env.putAll(cm.getData()));
        }
      }
      for (EnvVar v : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
        if (v.getValue() != null) {
          env.put(v.getName(), v.getValue());
        } else {
          env.remove(v.getName());
        }
      }
      return env;
    }

    /** The container's variable {@code name} when it is taken from a Secret key, else null. */
    SecretKeySelector secretRef(String name) {
      Container c = container();
      return (c.getEnv() == null ? List.<EnvVar>of() : c.getEnv())
          .stream()
              .filter(v -> v.getName().equals(name) && v.getValueFrom() != null)
              .map(v -> v.getValueFrom().getSecretKeyRef())
              .filter(java.util.Objects::nonNull)
              .findFirst()
              .orElse(null);
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

  /** The Deployment of alfer service {@code name}. */
  Optional<Workload> service(String name) {
    return services().stream().filter(w -> name.equals(w.serviceName())).findFirst();
  }
}
