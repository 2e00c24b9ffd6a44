package io.alfer.testkit;

import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.S3Settings;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource: points the application's {@code alfer.s3.*} configuration at the JVM's
 * shared {@link S3ProxyServer}.
 */
public class S3TestResource implements QuarkusTestResourceLifecycleManager {

  /** Endpoint, credentials and bucket of the shared server (started if needed). */
  public static S3Settings settings() {
    return S3ProxyServer.shared().settings();
  }

  /** A client of the shared server's bucket. */
  public static ObjectStore objectStore() {
    return S3ProxyServer.shared().objectStore();
  }

  @Override
  public Map<String, String> start() {
    S3Settings s3 = settings();
    return Map.of(
        "alfer.s3.endpoint", s3.endpoint(),
        "alfer.s3.access-key", s3.accessKey(),
        "alfer.s3.secret-key", s3.secretKey(),
        "alfer.s3.bucket", s3.bucket(),
        "alfer.s3.region", s3.region());
  }

  /** Leaves the server running: the next test class reuses it; it stops when the JVM exits. */
  @Override
  public void stop() {}
}
