package io.alfer.cli;

import io.alfer.cli.service.ServedServices;
import io.alfer.cli.service.ServiceDirectory;
import io.alfer.cli.stack.LocalStack;
import io.alfer.cli.stack.StackHomeOption;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code alfer status}: what of the local stack and the served services runs, and where. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Tells what of the local stack runs and where, and, while './alfer serve' runs, whether each"
          + " of its services is ready."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:the stack runs, and every served service is ready (if serve runs)",
      "3:nothing runs, or part of it does not run or is not ready"
    })
final class StatusCommand implements Callable<Integer> {
  /** Exit code when not everything runs (as in the LSB's "program is not running"). */
  static final int NOT_RUNNING = AlferCli.NOT_RUNNING;

  @Spec CommandSpec spec;

  @Mixin StackHomeOption home;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    var layout = home.layout();
    boolean running = new LocalStack(layout, out).status();
    Optional<ProcessHandle> serve = ServedServices.runningServe(layout);
    Optional<ServiceDirectory> served = ServiceDirectory.read(layout);
    if (serve.isEmpty() || served.isEmpty()) {
      out.println("services: not served (start them with ./alfer serve)");
      out.flush();
      return running ? 0 : NOT_RUNNING;
    }
    out.println("services of ./alfer serve (pid " + serve.get().pid() + ")");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    for (Map.Entry<String, URI> s : served.get().urls().entrySet()) {
      String state = readiness(http, s.getValue());
      running &= state.equals("ready");
      out.printf("  %-8s %-10s %s%n", s.getKey(), state, s.getValue());
    }
    out.flush();
    return running ? 0 : NOT_RUNNING;
  }

  /** {@code ready}, {@code not ready} (with the status code) or {@code down}. */
  static String readiness(HttpClient http, URI base) {
    try {
      int code =
          http.send(
                  HttpRequest.newBuilder(base.resolve("/q/health/ready"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode();
      return code == 200 ? "ready" : "not ready";
    } catch (IOException e) {
      return "down";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "down";
    }
  }
}
