package io.alfer.cli;

import io.alfer.cli.service.ServiceDirectory;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code alfer} command line. Every subcommand is listed once, in {@code subcommands} below:
 * adding one is a class with {@code @Command} and a line here.
 */
@Command(
    name = "alfer",
    mixinStandardHelpOptions = true,
    versionProvider = AlferCli.Version.class,
    description = "Active learning for facial expression recognition.",
    exitCodeListHeading = "Exit codes (each command's help lists its own):%n",
    exitCodeList = {
      "0:done",
      "1:failed or refused: the reason is printed on one line, 'alfer: ...'",
      "2:invalid command line",
      "3:what the command needs does not run (the local stack, or ./alfer serve's services)"
    },
    subcommands = {
      ServeCommand.class,
      ImportCommand.class,
      CampaignCommand.class,
      UpCommand.class,
      DownCommand.class,
      DemoCommand.class,
      BenchCommand.class,
      io.alfer.cli.experiment.ExperimentCommand.class,
      StatusCommand.class,
      io.alfer.cli.vendor.VendorCommand.class,
      CommandLine.HelpCommand.class
    })
public final class AlferCli implements Runnable {
  /**
   * Exit code of a command whose stack or services do not run (as in the LSB's "program is not
   * running").
   */
  public static final int NOT_RUNNING = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the CLI and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The configured command line: errors of the stack are printed as one line ("alfer: ...") with
   * exit code 1, not as a stack trace.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new AlferCli());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          err.println("alfer: " + e.getMessage());
          err.flush();
          return e instanceof ServiceDirectory.NotServing ? NOT_RUNNING : 1;
        });
    return cli;
  }

  /** Without a subcommand: print the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version from the jar's manifest (the Maven project version). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = AlferCli.class.getPackage().getImplementationVersion();
      return new String[] {"alfer " + (version == null ? "(development build)" : version)};
    }
  }
}
