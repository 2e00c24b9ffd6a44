package io.alfer.deploy.checks;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Finds the Strimzi properties a resource sets that Strimzi deprecated. Strimzi's one model class
 * serves every API version; what the v1 API dropped is what v1beta2 deprecated (for example a
 * KafkaUser ACL's {@code operation}, now {@code operations}), so a manifest of the v1 API sets no
 * deprecated property.
 */
final class StrimziV1 {
  private StrimziV1() {}

  /** Paths of the deprecated properties set in {@code resource}, empty when there is none. */
  static List<String> deprecatedPropertiesIn(Object resource) {
    List<String> found = new ArrayList<>();
    walk(resource, resource.getClass().getSimpleName(), found);
    return found;
  }

  private static void walk(Object value, String path, List<String> found) {
    if (value == null
        || value instanceof String
        || value instanceof Number
        || value instanceof Boolean
        || value instanceof Enum<?>) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", found);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "." + k, found));
      return;
    }
    if (!value.getClass().getName().startsWith("io.strimzi.")) {
      return; // fabric8 metadata and the like: not versioned by Strimzi
    }
    JavaType type = Manifests.STRICT.constructType(value.getClass());
    for (BeanPropertyDefinition property :
        Manifests.STRICT.getSerializationConfig().introspect(type).findProperties()) {
      AnnotatedMember getter = property.getAccessor();
      if (getter == null || !(getter.getMember() instanceof java.lang.reflect.Method method)) {
        continue;
      }
      Object child;
      try {
        child = method.invoke(value);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException(e);
      }
      if (child == null) {
        continue;
      }
      String childPath = path + "." + property.getName();
      // Strimzi marks these with java.lang.Deprecated besides its own @DeprecatedProperty (whose
      // artifact is not on the class path).
      if (getter.hasAnnotation(Deprecated.class)) {
        found.add(childPath);
      }
      walk(child, childPath, found);
    }
  }
}
