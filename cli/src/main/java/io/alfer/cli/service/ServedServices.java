package io.alfer.cli.service;

import io.alfer.cli.stack.Daemon;
import io.alfer.cli.stack.StackEnv;
import io.alfer.cli.stack.StackException;
import io.alfer.cli.stack.StackJars;
import io.alfer.cli.stack.StackLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The services {@code ./alfer serve} runs for a user's own data: every service of the loop, the
 * oracle vendor and the console when it is built, each on its well-known port ({@link #PORT_ORDER},
 * from a base port) or on free ones. The console is told where the others listen. A service that
 * exits on its own is started again on its port, a few times; {@code ./alfer down} stops them all
 * through their pid files.
 */
public final class ServedServices {
  /** The services in the order of their ports from the base port: ingest on 8081, console 8087. */
  public static final List<String> PORT_ORDER =
      List.of("ingest", "trainer", "embed", "label", "select", "oracle", "console");

  /** The order of starting (the demo's): the console last, once the services it shows are up. */
  static final List<String> ORDER =
      List.of("ingest", "trainer", "embed", "label", "oracle", "select", "console");

  /** Restarts of one service within {@link #RESTART_WINDOW} before serve gives up. */
  static final int MAX_RESTARTS = 3;

  static final Duration RESTART_WINDOW = Duration.ofMinutes(10);

  private final StackLayout layout;
  private final StackEnv env;
  private final Map<String, Integer> ports;
  private final Map<String, Map<String, String>> settings = new HashMap<>();
  private final Map<String, ServiceProcess> running = new LinkedHashMap<>();
  private final Map<String, List<Long>> restarts = new HashMap<>();
  private boolean stopping;

  private ServedServices(StackLayout layout, StackEnv env, Map<String, Integer> ports) {
    this.layout = layout;
    this.env = env;
    this.ports = ports;
    Map<String, URI> urls = new LinkedHashMap<>();
    ports.forEach(
        (name, port) ->
            urls.put(name, URI.create("http://" + ServiceProcess.LOOPBACK + ":" + port)));
    urls.remove("console");
    settings.put("console", ServiceProcess.consoleEnv(urls));
  }

  /**
   * Plans the ports: {@code basePort} and the next ones in {@link #PORT_ORDER}' order, or free
   * ports when {@code basePort} is 0. Every port is checked before anything starts.
   *
   * @param withConsole whether the console is served (it is built)
   * @throws StackException naming a taken port and its service
   */
  public static ServedServices plan(
      StackLayout layout, StackEnv env, int basePort, boolean withConsole) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (String name : ORDER) {
      if (name.equals("console") && !withConsole) {
        continue;
      }
      int port = basePort == 0 ? ServiceProcess.freePort() : basePort + PORT_ORDER.indexOf(name);
      if (basePort != 0 && !isFree(port)) {
        throw new StackException(
            "port "
                + port
                + " ("
                + name
                + ") is already in use on 127.0.0.1; stop what uses it, choose another"
                + " --base-port, or --base-port 0 for free ports");
      }
      ports.put(name, port);
    }
    return new ServedServices(layout, env, ports);
  }

  /** Whether the console's fast-jar is built. */
  public static boolean consoleBuilt() {
    return Files.isRegularFile(
        StackJars.repositoryRoot().resolve("services/console/target/quarkus-app/quarkus-run.jar"));
  }

  /**
   * Starts every service and waits until each is ready, one line per service; registers each with
   * {@code shutdown}. When one fails to start, the others started are stopped.
   */
  public void start(Shutdown shutdown, PrintWriter out) {
    List<String> names = List.copyOf(ports.keySet());
    out.println("starting " + String.join(", ", names) + " ...");
    out.flush();
    long t0 = System.nanoTime();
    try {
      for (String name : names) {
        running.put(name, launch(name));
        shutdown.add(name, () -> stop(name));
      }
      for (ServiceProcess service : running.values()) {
        service.awaitReady(null);
        out.printf(
            "  %-8s ready at %s (%.0f s)%n",
            service.name(), service.baseUri(), (System.nanoTime() - t0) / 1e9);
        out.flush();
      }
    } catch (RuntimeException e) {
      running.values().forEach(ServiceProcess::close);
      throw e;
    }
  }

  /** Where each service listens. */
  public ServiceDirectory directory() {
    Map<String, URI> urls = new LinkedHashMap<>();
    running.forEach((name, service) -> urls.put(name, service.baseUri()));
    return new ServiceDirectory(urls);
  }

  /**
   * Starts again, on its port, each service whose process has exited, printing the end of its log;
   * returns the names started again.
   *
   * @throws StackException when a service exited more than {@link #MAX_RESTARTS} times within
   *     {@link #RESTART_WINDOW}
   */
  public synchronized List<String> restartExited(PrintWriter out) {
    List<String> restarted = new ArrayList<>();
    if (stopping) {
      return restarted; // a stopped service is not a crashed one
    }
    for (Map.Entry<String, ServiceProcess> e : running.entrySet()) {
      ServiceProcess service = e.getValue();
      if (service.alive()) {
        continue;
      }
      String name = e.getKey();
      long now = System.nanoTime();
      List<Long> times = restarts.computeIfAbsent(name, n -> new ArrayList<>());
      times.removeIf(t -> now - t > RESTART_WINDOW.toNanos());
      if (times.size() >= MAX_RESTARTS) {
        throw new StackException(
            name
                + " exited "
                + (MAX_RESTARTS + 1)
                + " times within "
                + RESTART_WINDOW.toMinutes()
                + " minutes; its log ("
                + layout.logs().resolve(name + ".log")
                + ") ends with:\n"
                + service.logTail(20));
      }
      times.add(now);
      out.printf(
          "%s exited; its log ends with:%n%s%nstarting %s again on port %d%n",
          name, indent(service.logTail(10)), name, service.port());
      out.flush();
      ServiceProcess again = launch(name);
      e.setValue(again);
      again.awaitReady(out);
      restarted.add(name);
    }
    return restarted;
  }

  private ServiceProcess launch(String name) {
    return ServiceProcess.launch(
        name, layout, env, settings.getOrDefault(name, Map.of()), ports.get(name));
  }

  private synchronized void stop(String name) {
    stopping = true;
    ServiceProcess service = running.get(name);
    if (service != null) {
      service.close();
    }
  }

  /**
   * Stops every service a {@code serve} of this home may have started, through the pid files;
   * returns the names of those that ran.
   */
  public static List<String> stopAll(StackLayout layout) {
    List<String> stopped = new ArrayList<>();
    List<String> reverse = new ArrayList<>(ORDER);
    java.util.Collections.reverse(reverse);
    for (String name : reverse) {
      if (new Daemon(name, layout, Duration.ofSeconds(20)).stop().isPresent()) {
        stopped.add(name);
      }
    }
    return stopped;
  }

  /** The pid file of the {@code serve} command itself: its pid and start time. */
  static java.nio.file.Path servePidFile(StackLayout layout) {
    return layout.run().resolve("serve.pid");
  }

  /** Records this process as the home's {@code serve}, for {@code ./alfer down}. */
  public static void recordServe(StackLayout layout) {
    ProcessHandle self = ProcessHandle.current();
    String started = self.info().startInstant().map(Object::toString).orElse("?");
    try {
      Files.createDirectories(layout.run());
      Files.writeString(servePidFile(layout), self.pid() + " " + started + "\n");
    } catch (IOException e) {
      throw new StackException("cannot write " + servePidFile(layout) + ": " + e.getMessage(), e);
    }
  }

  /** Forgets the home's {@code serve} (it is stopping). */
  public static void forgetServe(StackLayout layout) {
    try {
      Files.deleteIfExists(servePidFile(layout));
    } catch (IOException e) {
      throw new StackException("cannot delete " + servePidFile(layout) + ": " + e.getMessage(), e);
    }
  }

  /**
   * The running {@code serve} of this home: the process its pid file names, if alive and started
   * when the file says (a reused pid is not it).
   */
  public static java.util.Optional<ProcessHandle> runningServe(StackLayout layout) {
    try {
      String[] parts = Files.readString(servePidFile(layout)).strip().split(" ");
      java.util.Optional<ProcessHandle> process =
          ProcessHandle.of(Long.parseLong(parts[0])).filter(ProcessHandle::isAlive);
      String started =
          process.flatMap(p -> p.info().startInstant()).map(Object::toString).orElse("?");
      return parts.length > 1 && parts[1].equals(started) ? process : java.util.Optional.empty();
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  /**
   * Asks the home's {@code serve} to stop (SIGTERM: it stops its services and, if it started it,
   * the stack) and waits for it.
   *
   * @return the pid of the {@code serve} stopped, if one ran
   */
  public static java.util.Optional<Long> stopServe(StackLayout layout, Duration grace) {
    java.util.Optional<ProcessHandle> serve = runningServe(layout);
    if (serve.isEmpty()) {
      return java.util.Optional.empty();
    }
    ProcessHandle process = serve.get();
    process.destroy();
    try {
      process.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while stopping serve", e);
    }
    return java.util.Optional.of(process.pid());
  }

  private static String indent(String text) {
    return text.lines().map(l -> "    " + l).collect(java.util.stream.Collectors.joining("\n"));
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
