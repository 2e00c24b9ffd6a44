package io.alfer.cli.service;

import io.alfer.cli.stack.StackException;
import io.alfer.cli.stack.StackLayout;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Where each service of {@code ./alfer serve} listens: {@code <ALFER_HOME>/services.properties},
 * one {@code name=url} line per service, written by {@code serve} once every service is ready and
 * deleted when it stops (or by {@code ./alfer down}). The commands that talk to the services
 * ({@code import}, {@code campaign}, {@code status}) read it; {@code ALFER_<NAME>_URL} (e.g. {@code
 * ALFER_INGEST_URL}) points one of them elsewhere instead, such as a port-forwarded Kubernetes
 * service.
 *
 * @param urls base URL per service name, in start order
 */
public record ServiceDirectory(Map<String, URI> urls) {
  public ServiceDirectory {
    urls = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(urls));
  }

  /** The file in {@code layout}'s home. */
  public static Path file(StackLayout layout) {
    return layout.home().resolve("services.properties");
  }

  /** Writes the directory atomically (a reader never sees half of it). */
  public void write(StackLayout layout) {
    Path file = file(layout);
    Properties p = new Properties();
    urls.forEach((name, url) -> p.setProperty(name, url.toString()));
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), "services", ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(w, "written by ./alfer serve; deleted when it stops");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** The directory {@code serve} wrote, if it runs. */
  public static Optional<ServiceDirectory> read(StackLayout layout) {
    Path file = file(layout);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      return Optional.empty(); // deleted while being read: serve is stopping
    }
    Map<String, URI> urls = new LinkedHashMap<>();
    for (String name : new java.util.TreeSet<>(p.stringPropertyNames())) {
      urls.put(name, URI.create(p.getProperty(name)));
    }
    return Optional.of(new ServiceDirectory(urls));
  }

  /** Deletes the file; true when there was one. */
  public static boolean delete(StackLayout layout) {
    try {
      return Files.deleteIfExists(file(layout));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The base URL of {@code service}: {@code ALFER_<SERVICE>_URL} when set, else where {@code serve}
   * started it.
   *
   * @throws StackException saying how to start the services when neither names it
   */
  public static URI locate(String service, StackLayout layout) {
    return locate(service, layout, System::getenv);
  }

  static URI locate(String service, StackLayout layout, Function<String, String> environment) {
    String variable = "ALFER_" + service.toUpperCase(Locale.ROOT) + "_URL";
    String url = environment.apply(variable);
    if (url != null && !url.isBlank()) {
      try {
        URI uri = URI.create(url.strip());
        if (uri.getScheme() == null || uri.getHost() == null) {
          throw new IllegalArgumentException("no scheme or host");
        }
        return uri;
      } catch (IllegalArgumentException e) {
        throw new StackException(
            variable + "=" + url + " is not a URL such as http://127.0.0.1:8081", e);
      }
    }
    Optional<ServiceDirectory> served = read(layout);
    if (served.isEmpty()) {
      throw new NotServing(
          "the services are not running (no "
              + file(layout)
              + "): start them with ./alfer serve, or set "
              + variable);
    }
    URI uri = served.get().urls().get(service);
    if (uri == null) {
      throw new NotServing(
          "./alfer serve did not start " + service + ": set " + variable + " to where it runs");
    }
    return uri;
  }

  /** The services a command needs are not running; commands exit with {@code 3} on it. */
  public static final class NotServing extends StackException {
    public NotServing(String message) {
      super(message);
    }
  }
}
