package io.alfer.cli.stack;

import io.alfer.core.messaging.TopicSetup;
import io.alfer.core.messaging.VendorTopics;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.S3Settings;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;

/**
 * The local stack: a Kafka broker and an S3 server on loopback, in background processes that
 * outlive the CLI, with everything under one folder ({@link StackLayout}).
 */
public final class LocalStack {
  private final StackLayout layout;
  private final PrintWriter out;
  private final LocalKafka kafka;
  private final LocalS3 s3;

  public LocalStack(StackLayout layout, PrintWriter out) {
    this.layout = layout;
    this.out = out;
    this.kafka = new LocalKafka(layout);
    this.s3 = new LocalS3(layout);
  }

  /**
   * Starts what is not running, waits until it answers, creates the topics and the bucket, writes
   * {@code stack.env} and prints where everything listens. When all runs already, says so.
   */
  public StackEnv up(StackPorts ports) {
    layout.create();
    boolean kafkaRunning = kafka.daemon().running().isPresent();
    boolean s3Running = s3.daemon().running().isPresent();
    Optional<StackEnv> previous = StackEnv.read(layout.envFile());
    if (kafkaRunning && s3Running && previous.isPresent()) {
      out.println(
          "alfer stack already running at Kafka "
              + previous.get().kafkaBootstrap()
              + ", S3 "
              + previous.get().s3().endpoint()
              + " (ALFER_HOME="
              + layout.home()
              + ")");
      out.flush();
      return previous.get();
    }
    String bootstrap =
        kafkaRunning && previous.isPresent()
            ? previous.get().kafkaBootstrap()
            : LocalKafka.bootstrap(ports.kafka());
    S3Settings s3Settings =
        s3Running && previous.isPresent() ? previous.get().s3() : LocalS3.settings(ports.s3());
    startMissing(ports, !kafkaRunning, !s3Running);
    StackEnv env = new StackEnv(bootstrap, s3Settings);
    int created = createTopicsAndBucket(env);
    env.write(layout.envFile(), layout.home());
    printSummary(env, created);
    return env;
  }

  /** Stops what runs (SIGTERM, then SIGKILL after a grace period) and says what it stopped. */
  public List<String> down() {
    List<String> stopped = new ArrayList<>();
    for (Daemon daemon : List.of(s3.daemon(), kafka.daemon())) {
      daemon.stop().ifPresent(pid -> stopped.add(daemon.name() + " (pid " + pid + ")"));
    }
    StackEnv.delete(layout.envFile());
    if (stopped.isEmpty()) {
      out.println("nothing running (ALFER_HOME=" + layout.home() + ")");
    } else {
      stopped.forEach(what -> out.println("stopped " + what));
    }
    out.flush();
    return stopped;
  }

  /** The stack's two servers, each of which can be stopped and started again on its own. */
  public enum Server {
    KAFKA,
    S3
  }

  /**
   * Kills one server at once (SIGKILL), as a crash would; its data stays under the stack's folder.
   *
   * @return the pid killed
   * @throws StackException when it does not run
   */
  public long kill(Server server) {
    Daemon daemon = daemon(server);
    return daemon.kill().orElseThrow(() -> new StackException(daemon.name() + " is not running"));
  }

  /**
   * Stops one server as {@link #down()} does (SIGTERM, then SIGKILL after a grace period); its data
   * stays.
   *
   * @return the pid stopped
   * @throws StackException when it does not run
   */
  public long stop(Server server) {
    Daemon daemon = daemon(server);
    return daemon.stop().orElseThrow(() -> new StackException(daemon.name() + " is not running"));
  }

  /**
   * Starts a stopped server again on the same ports and data (a restart after {@link #kill} or
   * {@link #stop}) and waits until it answers; the topics and the bucket are those it had.
   *
   * @param ports the ports the stack was started on
   */
  public void start(Server server, StackPorts ports) {
    if (daemon(server).running().isPresent()) {
      throw new StackException(daemon(server).name() + " is running already");
    }
    startMissing(ports, server == Server.KAFKA, server == Server.S3);
  }

  private Daemon daemon(Server server) {
    return switch (server) {
      case KAFKA -> kafka.daemon();
      case S3 -> s3.daemon();
    };
  }

  /** Whether Kafka and S3 both run (prints nothing). */
  public boolean isRunning() {
    return kafka.daemon().running().isPresent() && s3.daemon().running().isPresent();
  }

  /**
   * Prints what runs and where.
   *
   * @return whether the whole stack runs
   */
  public boolean status() {
    Optional<StackEnv> env = StackEnv.read(layout.envFile());
    out.println("alfer stack, ALFER_HOME=" + layout.home());
    boolean kafkaUp = printStatus(kafka.daemon(), env.map(StackEnv::kafkaBootstrap).orElse("?"));
    boolean s3Up = printStatus(s3.daemon(), env.map(e -> e.s3().endpoint()).orElse("?"));
    if (kafkaUp && s3Up) {
      out.println("environment: . " + layout.envFile());
    }
    out.flush();
    return kafkaUp && s3Up;
  }

  private void startMissing(StackPorts ports, boolean startKafka, boolean startS3) {
    // Check every port before starting anything, so a taken port leaves nothing half started.
    if (startKafka) {
      Ports.requireFree(
          ports.kafka(), "Kafka", "choose another with --kafka-port or ALFER_KAFKA_PORT");
      Ports.requireFree(
          ports.kafkaController(),
          "Kafka controller",
          "choose another with --kafka-controller-port or ALFER_KAFKA_CONTROLLER_PORT");
    }
    if (startS3) {
      Ports.requireFree(ports.s3(), "S3", "choose another with --s3-port or ALFER_S3_PORT");
    }
    StackJars jars = StackJars.ofThisBuild();
    Waiter waiter = new Waiter(out);
    List<Daemon> started = new ArrayList<>();
    try {
      Process s3Process = null;
      Process kafkaProcess = null;
      if (startS3) {
        out.println(
            "starting S3Proxy on 127.0.0.1:" + ports.s3() + " (log " + s3.daemon().logFile() + ")");
        out.flush();
        s3Process = s3.launch(jars, ports.s3());
        started.add(s3.daemon());
      }
      if (startKafka) {
        out.println(
            "starting Kafka on 127.0.0.1:"
                + ports.kafka()
                + " (log "
                + kafka.daemon().logFile()
                + ")");
        out.flush();
        kafkaProcess = kafka.launch(jars, ports.kafka(), ports.kafkaController());
        started.add(kafka.daemon());
      }
      if (s3Process != null) {
        s3.awaitReady(s3Process, ports.s3(), waiter);
      }
      if (kafkaProcess != null) {
        kafka.awaitReady(kafkaProcess, ports.kafka(), waiter);
      }
    } catch (RuntimeException e) {
      started.forEach(Daemon::stop);
      throw e;
    }
  }

  private int createTopicsAndBucket(StackEnv env) {
    int created;
    try (Admin admin = LocalKafka.admin(env.kafkaBootstrap())) {
      created = TopicSetup.createMissing(admin, TopicSetup.PARTITIONS).size();
      // the oracle, the local stack's vendor (the label service creates its other vendors' own)
      created +=
          TopicSetup.createMissing(admin, VendorTopics.newTopics("oracle", TopicSetup.PARTITIONS))
              .size();
    }
    new ObjectStore(env.s3()).ensureBucket();
    return created;
  }

  private void printSummary(StackEnv env, int topicsCreated) {
    S3Settings s3Settings = env.s3();
    out.println();
    out.println("alfer stack is up");
    out.println("  Kafka bootstrap   " + env.kafkaBootstrap());
    out.println(
        "  topics            every alfer topic and its .dlq, the oracle vendor's ("
            + topicsCreated
            + " created now)");
    out.println("  S3 endpoint       " + s3Settings.endpoint());
    out.println(
        "  S3 bucket         " + s3Settings.bucket() + " (region " + s3Settings.region() + ")");
    out.println("  S3 credentials    " + s3Settings.accessKey() + " / " + s3Settings.secretKey());
    out.println("  data and logs     " + layout.home());
    out.println("  environment       . " + layout.envFile());
    out.println("stop it with: ./alfer down");
    out.flush();
  }

  private boolean printStatus(Daemon daemon, String address) {
    Optional<ProcessHandle> handle = daemon.running();
    if (handle.isPresent()) {
      out.printf("  %-8s running  pid %-8d %s%n", daemon.name(), handle.get().pid(), address);
    } else {
      out.printf("  %-8s not running%n", daemon.name());
    }
    return handle.isPresent();
  }
}
