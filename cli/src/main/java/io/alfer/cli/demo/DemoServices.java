package io.alfer.cli.demo;

import io.alfer.cli.service.ServiceProcess;
import io.alfer.cli.service.Shutdown;
import io.alfer.cli.stack.StackEnv;
import io.alfer.cli.stack.StackLayout;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every alfer service as its own process on the local stack, started together: the five services of
 * the loop plus the oracle vendor. Each is registered with a {@link Shutdown} so that it is stopped
 * at the end, also on Ctrl-C.
 */
public final class DemoServices {
  /** The services, in the order they are started. */
  public static final List<String> NAMES =
      List.of("ingest", "trainer", "embed", "label", "oracle", "select");

  /**
   * Services started only on request, after {@link #NAMES} ({@link #startConsole}): the web console
   * (services/console), which talks to the others over their REST APIs.
   */
  public static final List<String> OPTIONAL = List.of("console");

  private final Map<String, ServiceProcess> running = new LinkedHashMap<>();
  private final StackLayout layout;
  private final StackEnv env;
  private final Map<String, Map<String, String>> settings;

  /**
   * @param settings extra environment per service, e.g. the oracle's error rate
   */
  public DemoServices(StackLayout layout, StackEnv env, Map<String, Map<String, String>> settings) {
    this.layout = layout;
    this.env = env;
    this.settings = settings;
  }

  /** Starts every service and waits until all are ready. */
  public DemoServices start(Shutdown shutdown, PrintWriter out) {
    for (ServiceProcess service : ServiceProcess.startAll(NAMES, layout, env, settings, out)) {
      running.put(service.name(), service);
      shutdown.add(service.name(), () -> stop(service.name()));
    }
    return this;
  }

  /**
   * Starts the web console, pointed at the running services ({@link #consoleEnv}) and with its own
   * settings of the constructor's map, and waits until it is ready; it is stopped with the others.
   */
  public ServiceProcess startConsole(Shutdown shutdown, PrintWriter out) {
    Map<String, String> environment = new LinkedHashMap<>(consoleEnv());
    environment.putAll(settings.getOrDefault("console", Map.of()));
    ServiceProcess console = ServiceProcess.start("console", layout, env, environment, out);
    running.put(console.name(), console);
    shutdown.add(console.name(), () -> stop(console.name()));
    return console;
  }

  /**
   * The console's environment for the running services: {@code ALFER_CONSOLE_<SERVICE>_URL} = its
   * base URL, for each of {@link #NAMES} that runs.
   */
  public Map<String, String> consoleEnv() {
    Map<String, java.net.URI> urls = new LinkedHashMap<>();
    for (String name : NAMES) {
      ServiceProcess service = running.get(name);
      if (service != null) {
        urls.put(name, service.baseUri());
      }
    }
    return ServiceProcess.consoleEnv(urls);
  }

  /** A running service. */
  public ServiceProcess get(String name) {
    ServiceProcess service = running.get(name);
    if (service == null) {
      throw new IllegalStateException(name + " is not running");
    }
    return service;
  }

  /** Kills a service at once (SIGKILL), as a crash would. */
  public void kill(String name) {
    get(name).kill();
  }

  /**
   * Starts a service again on its former port (after {@link #kill}) and waits until it is ready.
   */
  public ServiceProcess restart(String name, PrintWriter out) {
    ServiceProcess old = get(name);
    if (old.alive()) {
      old.close();
    }
    ServiceProcess service =
        ServiceProcess.launch(name, layout, env, settings.getOrDefault(name, Map.of()), old.port());
    running.put(name, service);
    service.awaitReady(out);
    return service;
  }

  private void stop(String name) {
    ServiceProcess service = running.get(name);
    if (service != null) {
      service.close();
    }
  }
}
