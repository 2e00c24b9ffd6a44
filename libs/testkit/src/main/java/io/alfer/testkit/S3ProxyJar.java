package io.alfer.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Finds the S3Proxy jar-with-dependencies. The jar stays off the test classpath (it bundles
 * libraries that clash with ours); the build downloads it into the local Maven repository and
 * writes its path into {@code s3proxy-jar.properties}.
 */
final class S3ProxyJar {
  private static final String RESOURCE = "s3proxy-jar.properties";

  private S3ProxyJar() {}

  /** The jar's path; fails with a message saying how to get it when it is missing. */
  static Path locate() {
    Properties props = new Properties();
    try (InputStream in = S3ProxyJar.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCE + " is missing from the alfer-testkit jar: rebuild libs/testkit");
      }
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    Path jar = Path.of(props.getProperty("jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "S3Proxy "
              + props.getProperty("version")
              + " jar not found at "
              + jar
              + ": build libs/testkit with Maven (mvn -pl libs/testkit -am install), which"
              + " downloads org.gaul:s3proxy:jar-with-dependencies");
    }
    return jar;
  }
}
