package io.alfer.deploy.checks;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;

/**
 * Decides, as Kubernetes does, whether the network policies of the namespace let one pod open a TCP
 * connection to a port of another: the source's egress (if any policy selects it for Egress) and
 * the destination's ingress (if any selects it for Ingress) must both allow it. Covers what alfer's
 * policies use: pod and namespace selectors (matchLabels, matchExpressions), numeric and named
 * ports. Strimzi's own policies for the Kafka listeners are not rendered: a connection to Kafka is
 * judged by the source's egress and the listener's networkPolicyPeers separately.
 */
final class NetworkPolicies {
  /** The namespace alfer runs in. */
  static final String NAMESPACE = "alfer";

  /** A pod: its namespace and that namespace's labels, its labels, its named ports. */
  record Pod(
      String name,
      String namespace,
      Map<String, String> namespaceLabels,
      Map<String, String> labels,
      Map<String, Integer> ports) {
    /** A pod of alfer's namespace. */
    static Pod alfer(String name, Map<String, String> labels, Map<String, Integer> ports) {
      return new Pod(
          name, NAMESPACE, Map.of("kubernetes.io/metadata.name", NAMESPACE), labels, ports);
    }

    /** A pod of another namespace. */
    static Pod elsewhere(
        String name,
        String namespace,
        Map<String, String> namespaceLabels,
        Map<String, String> labels) {
      return new Pod(name, namespace, namespaceLabels, labels, Map.of());
    }
  }

  private final List<NetworkPolicy> policies;

  NetworkPolicies(List<NetworkPolicy> policies) {
    this.policies = policies;
  }

  /** Whether {@code from} may connect to {@code to} on TCP {@code port}. */
  boolean allows(Pod from, Pod to, int port) {
    return egressAllows(from, to, port) && ingressAllows(from, to, port);
  }

  /**
   * Whether the egress policies of {@code from}'s namespace let it reach {@code to}:{@code port}.
   */
  boolean egressAllows(Pod from, Pod to, int port) {
    if (!from.namespace().equals(NAMESPACE)) {
      return true; // only alfer's namespace has policies here
    }
    List<NetworkPolicy> selecting = selecting(from, "Egress");
    if (selecting.isEmpty()) {
      return true;
    }
    for (NetworkPolicy p : selecting) {
      for (var rule : nullToEmpty(p.getSpec().getEgress())) {
        if (peersMatch(rule.getTo(), to) && portsMatch(rule.getPorts(), to, port)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the ingress policies of {@code to}'s namespace let {@code from} reach its port. */
  boolean ingressAllows(Pod from, Pod to, int port) {
    if (!to.namespace().equals(NAMESPACE)) {
      return true;
    }
    List<NetworkPolicy> selecting = selecting(to, "Ingress");
    if (selecting.isEmpty()) {
      return true;
    }
    for (NetworkPolicy p : selecting) {
      for (var rule : nullToEmpty(p.getSpec().getIngress())) {
        if (peersMatch(rule.getFrom(), from) && portsMatch(rule.getPorts(), to, port)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether one of {@code peers} (as in a listener's networkPolicyPeers) admits {@code pod}. */
  static boolean admits(List<NetworkPolicyPeer> peers, Pod pod) {
    return peers != null && !peers.isEmpty() && peersMatch(peers, pod);
  }

  private List<NetworkPolicy> selecting(Pod pod, String type) {
    return policies.stream()
        .filter(p -> types(p).contains(type))
        .filter(p -> selects(p.getSpec().getPodSelector(), pod.labels()))
        .toList();
  }

  private static List<String> types(NetworkPolicy p) {
    List<String> types = p.getSpec().getPolicyTypes();
    if (types != null && !types.isEmpty()) {
      return types;
    }
    return p.getSpec().getEgress() != null ? List.of("Ingress", "Egress") : List.of("Ingress");
  }

  private static boolean peersMatch(List<NetworkPolicyPeer> peers, Pod pod) {
    if (peers == null || peers.isEmpty()) {
      return true; // no "from"/"to": every peer
    }
    for (NetworkPolicyPeer peer : peers) {
      if (peer.getIpBlock() != null) {
        throw new IllegalStateException("ipBlock peers are not evaluated: extend NetworkPolicies");
      }
      boolean namespaceOk =
          peer.getNamespaceSelector() == null
              ? pod.namespace().equals(NAMESPACE)
              : selects(peer.getNamespaceSelector(), pod.namespaceLabels());
      boolean podOk = peer.getPodSelector() == null || selects(peer.getPodSelector(), pod.labels());
      if (namespaceOk && podOk) {
        return true;
      }
    }
    return false;
  }

  private static boolean portsMatch(List<NetworkPolicyPort> ports, Pod to, int port) {
    if (ports == null || ports.isEmpty()) {
      return true;
    }
    for (NetworkPolicyPort p : ports) {
      if (p.getProtocol() != null && !p.getProtocol().equals("TCP")) {
        continue;
      }
      IntOrString value = p.getPort();
      if (value == null) {
        return true;
      }
      if (value.getIntVal() != null) {
        int end = p.getEndPort() != null ? p.getEndPort() : value.getIntVal();
        if (port >= value.getIntVal() && port <= end) {
          return true;
        }
      } else if (Integer.valueOf(port).equals(to.ports().get(value.getStrVal()))) {
        return true;
      }
    }
    return false;
  }

  /** Whether a label selector selects {@code labels} (an empty selector selects everything). */
  static boolean selects(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    if (selector.getMatchLabels() != null) {
      for (var e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    for (LabelSelectorRequirement r : nullToEmpty(selector.getMatchExpressions())) {
      String value = labels.get(r.getKey());
      boolean ok =
          switch (r.getOperator()) {
            case "In" -> value != null && r.getValues().contains(value);
            case "NotIn" -> value == null || !r.getValues().contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> throw new IllegalStateException("operator " + r.getOperator());
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
