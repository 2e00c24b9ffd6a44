package io.alfer.cli;

import io.alfer.cli.service.ServedServices;
import io.alfer.cli.service.ServiceDirectory;
import io.alfer.cli.service.Shutdown;
import io.alfer.cli.stack.LocalStack;
import io.alfer.cli.stack.Polling;
import io.alfer.cli.stack.StackEnv;
import io.alfer.cli.stack.StackException;
import io.alfer.cli.stack.StackHomeOption;
import io.alfer.cli.stack.StackPorts;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code alfer serve}: the local stack and every service, kept up for a user's own data until
 * Ctrl-C or {@code ./alfer down}.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Starts the local stack (Kafka, S3) and every service — ingest, trainer, embed, label,"
          + " oracle, select and the console — and keeps them up, printing their URLs, until"
          + " Ctrl-C or './alfer down'.",
      "%nServices listen on 127.0.0.1, from --base-port on (ingest 8081, trainer 8082, embed"
          + " 8083, label 8084, select 8085, oracle 8086, console 8087). A service that exits on"
          + " its own is started again on its port (up to 3 times in 10 minutes). Then, from"
          + " another terminal: './alfer import', './alfer campaign', './alfer status'."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "130:stopped by Ctrl-C (SIGINT)",
      "143:stopped by ./alfer down (SIGTERM)",
      "1:the stack or a service could not start, or a service kept exiting",
      "2:invalid options"
    })
final class ServeCommand implements Callable<Integer> {
  /** How often the services' processes are checked. */
  static final Duration CHECK_EVERY = Duration.ofSeconds(1);

  @Spec CommandSpec spec;

  @Mixin StackHomeOption home;

  @Option(
      names = "--base-port",
      defaultValue = "${env:ALFER_BASE_PORT:-8081}",
      description =
          "The first service's port; the others follow in order. 0: free ports (env"
              + " ALFER_BASE_PORT; default ${DEFAULT-VALUE}).")
  int basePort;

  @Option(
      names = "--no-console",
      description = "Do not start the console (it is started when built).")
  boolean noConsole;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (basePort < 0 || basePort > 65535 - ServedServices.PORT_ORDER.size()) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--base-port must be 0 or a port from 1 to 65528, not " + basePort);
    }
    var layout = home.layout();
    var serving = ServedServices.runningServe(layout);
    if (serving.isPresent()) {
      throw new StackException(
          "alfer is already serving from "
              + layout.home()
              + " (pid "
              + serving.get().pid()
              + "): see ./alfer status, or stop it with ./alfer down");
    }
    ServiceDirectory.delete(layout); // a leftover of a serve that was killed
    LocalStack stack = new LocalStack(layout, out);
    Shutdown shutdown = new Shutdown(out);
    if (!stack.isRunning()) {
      shutdown.add("the local stack", stack::down);
    }
    shutdown.add(
        "serving (" + ServiceDirectory.file(layout).getFileName() + ")",
        () -> {
          ServiceDirectory.delete(layout);
          ServedServices.forgetServe(layout);
        });
    Thread hook = new Thread(shutdown::run, "alfer-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook); // Ctrl-C stops what serve started
    try {
      StackEnv env = stack.up(StackPorts.fromEnvironment());
      boolean console = !noConsole && ServedServices.consoleBuilt();
      ServedServices services = ServedServices.plan(layout, env, basePort, console);
      services.start(shutdown, out);
      ServiceDirectory directory = services.directory();
      directory.write(layout);
      ServedServices.recordServe(layout);
      printUrls(out, directory, console);
      while (true) { // until a signal: the shutdown hook stops everything
        Polling.pause(CHECK_EVERY);
        services.restartExited(out);
      }
    } finally {
      Runtime.getRuntime().removeShutdownHook(hook);
      shutdown.run();
    }
  }

  private void printUrls(PrintWriter out, ServiceDirectory directory, boolean console) {
    out.println();
    out.println("alfer is serving (ALFER_HOME=" + home.layout().home() + ")");
    URI consoleUrl = directory.urls().get("console");
    if (consoleUrl != null) {
      out.println("  console          " + consoleUrl + "/");
      out.println("  labelling page   " + consoleUrl + "/label.html");
    } else if (!noConsole && !console) {
      out.println("  console          not built (services/console): mvn -B -DskipTests install");
    }
    directory
        .urls()
        .forEach(
            (name, url) -> {
              if (!name.equals("console")) {
                out.printf("  %-16s %s  (OpenAPI: %s/q/openapi)%n", name, url, url);
              }
            });
    out.println("  logs             " + home.layout().logs());
    out.println();
    out.println("next, from another terminal:");
    out.println("  ./alfer import faces.csv --dataset mine --size 48");
    out.println("  ./alfer campaign start --dataset mine --pretrain --watch");
    out.println("stop with Ctrl-C here, or ./alfer down");
    out.flush();
  }
}
