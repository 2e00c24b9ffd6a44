package io.alfer.cli.vendor;

import io.alfer.cli.stack.StackException;
import io.alfer.cli.stack.StackJars;
import io.alfer.core.messaging.VendorTopics;
import io.alfer.core.storage.Hashes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code alfer vendor add NAME}: onboards an annotation vendor in the Kubernetes deployment in one
 * step — its topics, its Kafka user with ACLs on its own topics only, its registration with the
 * label service and, unless told otherwise, an API key for the HTTP API (only its SHA-256 is
 * written; the key is printed once).
 */
@Command(
    name = "vendor",
    mixinStandardHelpOptions = true,
    description = "Annotation vendors of the Kubernetes deployment (deploy/k8s).",
    subcommands = {VendorCommand.Add.class},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:the vendor's files were written",
      "1:refused (a name taken or not allowed: the reason is printed)",
      "2:invalid options"
    })
public final class VendorCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code alfer vendor add}. */
  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = {
        "Onboards an annotation vendor (vendor contract v2) in deploy/k8s, in one step.",
        "%nWrites deploy/k8s/base/kafka/vendors/NAME.yaml (its KafkaUser, ACLs on its own topics"
            + " alfer.vendor.NAME.* only, and its four KafkaTopics), lists it in"
            + " deploy/k8s/base/kafka/kustomization.yaml and registers the vendor in"
            + " deploy/k8s/base/services/label/vendors.properties with the SHA-256 of a new API key,"
            + " which is printed once. Then: review, commit, kubectl apply -k deploy/k8s/overlays/prod"
            + " and hand over the credentials (deploy/README.md)."
      })
  static final class Add implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(
        paramLabel = "NAME",
        description = "vendor name: lower-case letters, digits, inner hyphens (at most 63)")
    String name;

    @Option(
        names = "--description",
        description = "who they are (default: \"Annotation vendor NAME\")")
    String description;

    @Option(names = "--no-api-key", description = "Kafka only: no API key for label's HTTP API")
    boolean noApiKey;

    @Option(
        names = "--repo",
        description = "the repository to change (default: this one)",
        hidden = true)
    Path repo;

    @Override
    public void run() {
      Path root = repo != null ? repo : StackJars.repositoryRoot();
      Onboarding done =
          onboard(
              root,
              name,
              description == null ? "Annotation vendor " + name : description,
              noApiKey ? null : newApiKey());
      PrintWriter out = spec.commandLine().getOut();
      out.println("vendor " + name + " onboarded in " + root.resolve("deploy/k8s") + ":");
      done.changed().forEach(f -> out.println("  " + root.relativize(f)));
      out.println("  topics: " + String.join(", ", VendorTopics.all(name)));
      if (done.apiKey() != null) {
        out.println("API key (shown once; only its SHA-256 is stored): " + done.apiKey());
      }
      out.println(
          "next: review and commit, kubectl apply -k deploy/k8s/overlays/prod, then hand over the"
              + " credentials (deploy/README.md, \"Onboarding an annotation vendor\", step 4)");
      out.flush();
    }
  }

  /**
   * What {@link #onboard} changed, and the API key it made (null for none).
   *
   * @param changed the files written
   * @param apiKey the new API key, or null
   */
  record Onboarding(List<Path> changed, String apiKey) {}

  /**
   * Onboards {@code vendor} in the deployment under {@code root}; writes nothing when it is
   * refused.
   *
   * @param apiKey the vendor's API key, or null for Kafka only
   * @throws StackException naming the problem: an invalid name, a vendor that exists already, a
   *     tree without the deployment's files
   */
  static Onboarding onboard(Path root, String vendor, String description, String apiKey) {
    try {
      VendorTopics.vendor(vendor);
    } catch (IllegalArgumentException e) {
      throw new StackException(e.getMessage());
    }
    if (description.contains("\n")) {
      throw new StackException("the description must be one line");
    }
    Path kafka = root.resolve("deploy/k8s/base/kafka");
    Path kustomization = kafka.resolve("kustomization.yaml");
    Path manifest = kafka.resolve("vendors/" + vendor + ".yaml");
    Path registry = root.resolve("deploy/k8s/base/services/label/vendors.properties");
    for (Path needed : List.of(kustomization, registry)) {
      if (!Files.isRegularFile(needed)) {
        throw new StackException(needed + " is missing: is " + root + " an alfer repository?");
      }
    }
    String resources = read(kustomization);
    String vendors = read(registry);
    if (Files.exists(manifest)
        || vendors.contains("alfer.label.vendors." + vendor + ".")
        || resources.contains("vendors/" + vendor + ".yaml")) {
      throw new StackException(
          "vendor " + vendor + " exists already (" + root.relativize(manifest) + ")");
    }
    String entry = "  - vendors/" + vendor + ".yaml\n";
    int last = resources.lastIndexOf("  - vendors/");
    if (last < 0) {
      throw new StackException(kustomization + " lists no vendors/ file to add " + vendor + " to");
    }
    int after = resources.indexOf('\n', last) + 1;
    String listed = resources.substring(0, after) + entry + resources.substring(after);
    StringBuilder registered = new StringBuilder(vendors);
    if (!vendors.endsWith("\n")) {
      registered.append('\n');
    }
    registered.append("alfer.label.vendors.").append(vendor).append(".description=");
    registered.append(description).append('\n');
    if (apiKey != null) {
      registered
          .append("alfer.label.vendors.")
          .append(vendor)
          .append(".api-key-sha256=")
          .append(Hashes.sha256Hex(apiKey.getBytes(StandardCharsets.UTF_8)))
          .append('\n');
    }
    List<Path> changed = new ArrayList<>();
    write(manifest, VendorManifests.of(vendor), changed);
    write(kustomization, listed, changed);
    write(registry, registered.toString(), changed);
    return new Onboarding(changed, apiKey);
  }

  private static String newApiKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return HexFormat.of().formatHex(key);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text, List<Path> changed) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
      changed.add(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
