package io.alfer.cli;

import io.alfer.cli.service.ServedServices;
import io.alfer.cli.service.ServiceDirectory;
import io.alfer.cli.stack.LocalStack;
import io.alfer.cli.stack.StackHomeOption;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code alfer down}: stops {@code serve} and its services, and the local stack; data stays in
 * ALFER_HOME.
 */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = {
      "Stops everything started from this ALFER_HOME; its data stays.",
      "%nStops a running './alfer serve' (which stops its services), any service left running by"
          + " serve or demo, then the Kafka broker and the S3 server started by 'alfer up' (SIGTERM,"
          + " then SIGKILL after a grace period). Data stays in ALFER_HOME; delete that folder to"
          + " start afresh."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:nothing runs any more (also when nothing ran)",
      "1:something could not be stopped"
    })
final class DownCommand implements Runnable {
  /** How long serve gets to stop its services before it is killed. */
  static final Duration SERVE_GRACE = Duration.ofSeconds(90);

  @Spec CommandSpec spec;

  @Mixin StackHomeOption home;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    var layout = home.layout();
    ServedServices.stopServe(layout, SERVE_GRACE)
        .ifPresent(pid -> out.println("stopped alfer serve (pid " + pid + ") and its services"));
    List<String> left = ServedServices.stopAll(layout);
    if (!left.isEmpty()) {
      out.println("stopped " + String.join(", ", left));
    }
    ServiceDirectory.delete(layout);
    ServedServices.forgetServe(layout);
    out.flush();
    new LocalStack(layout, out).down();
  }
}
