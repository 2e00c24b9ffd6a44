package io.alfer.cli.stack;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A background process of the stack, known by its pid file. It is started detached (own session
 * where {@code setsid} exists, output to a log file, no stdin) so that it outlives the CLI. A pid
 * file whose process is gone, or now belongs to another program, is stale and ignored.
 */
public final class Daemon {
  private final String name;
  private final Path pidFile;
  private final Path logFile;
  private final String marker;
  private final Duration stopGrace;

  /**
   * @param name short name, e.g. {@code kafka}
   * @param layout the stack's folders (pid file in {@code run/}, log in {@code logs/})
   * @param stopGrace how long {@link #stop()} lets the process shut down before killing it
   */
  public Daemon(String name, StackLayout layout, Duration stopGrace) {
    this.name = name;
    this.stopGrace = stopGrace;
    this.pidFile = layout.run().resolve(name + ".pid");
    this.logFile = layout.logs().resolve(name + ".log");
    this.marker = "-Dalfer.home=" + layout.home();
  }

  public String name() {
    return name;
  }

  public Path logFile() {
    return logFile;
  }

  /**
   * The JVM option that tags this stack's processes; it goes on the java command line so that a
   * reused pid is not mistaken for ours.
   */
  public String marker() {
    return marker;
  }

  /** The running process, if the pid file names a live process of this stack. */
  public Optional<ProcessHandle> running() {
    Optional<Long> pid = readPid();
    if (pid.isEmpty()) {
      return Optional.empty();
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
    if (handle.isPresent() && isOurs(handle.get())) {
      return handle;
    }
    deletePidFile();
    return Optional.empty();
  }

  /** Starts {@code command} detached, appending its output to the log, and writes the pid file. */
  public Process start(List<String> command) {
    return start(command, java.util.Map.of());
  }

  /** As {@link #start(List)}, with extra environment variables for the process. */
  public Process start(List<String> command, java.util.Map<String, String> environment) {
    List<String> detached = new ArrayList<>();
    setsid().ifPresent(detached::add);
    detached.addAll(command);
    try {
      Files.createDirectories(pidFile.getParent());
      Files.createDirectories(logFile.getParent());
      ProcessBuilder builder = new ProcessBuilder(detached);
      builder.environment().putAll(environment);
      Process process =
          builder
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
      Files.writeString(pidFile, process.pid() + "\n", StandardCharsets.UTF_8);
      return process;
    } catch (IOException e) {
      throw new StackException("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Stops the process: SIGTERM, then SIGKILL when it has not exited within the grace period.
   *
   * @return the pid stopped, or empty when nothing ran
   */
  public Optional<Long> stop() {
    Optional<ProcessHandle> handle = running();
    if (handle.isEmpty()) {
      return Optional.empty();
    }
    ProcessHandle process = handle.get();
    process.destroy();
    if (!awaitExit(process, stopGrace)) {
      process.destroyForcibly();
      if (!awaitExit(process, Duration.ofSeconds(10))) {
        throw new StackException("cannot stop " + name + " (pid " + process.pid() + ")");
      }
    }
    deletePidFile();
    return Optional.of(process.pid());
  }

  /**
   * Kills the process at once (SIGKILL), as a crash would: no shutdown hook runs.
   *
   * @return the pid killed, or empty when nothing ran
   */
  public Optional<Long> kill() {
    Optional<ProcessHandle> handle = running();
    if (handle.isEmpty()) {
      return Optional.empty();
    }
    ProcessHandle process = handle.get();
    process.destroyForcibly();
    if (!awaitExit(process, Duration.ofSeconds(10))) {
      throw new StackException("cannot kill " + name + " (pid " + process.pid() + ")");
    }
    deletePidFile();
    return Optional.of(process.pid());
  }

  /** The last lines of the log, to explain a failure. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log at " + logFile + ")";
    }
  }

  private boolean isOurs(ProcessHandle handle) {
    // Where the command line cannot be read, a live pid from our own pid file is trusted.
    return handle.info().commandLine().map(cmd -> cmd.contains(marker)).orElse(true);
  }

  private static boolean awaitExit(ProcessHandle process, Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  private Optional<Long> readPid() {
    try {
      if (!Files.isRegularFile(pidFile)) {
        return Optional.empty();
      }
      return Optional.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private void deletePidFile() {
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      throw new StackException("cannot delete " + pidFile + ": " + e.getMessage(), e);
    }
  }

  private static Optional<String> setsid() {
    for (String dir : new String[] {"/usr/bin", "/bin"}) {
      Path candidate = Path.of(dir, "setsid");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate.toString());
      }
    }
    return Optional.empty();
  }
}
