package io.alfer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.alfer.cli.demo.DatasetSummaryTable;
import io.alfer.cli.service.FolderZip;
import io.alfer.cli.service.ImportWatcher;
import io.alfer.cli.service.IngestClient;
import io.alfer.cli.service.ServiceDirectory;
import io.alfer.cli.stack.StackException;
import io.alfer.cli.stack.StackHomeOption;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code alfer import}: a FER2013 CSV, an archive or a folder, through the ingest service of {@code
 * ./alfer serve} (or {@code ALFER_INGEST_URL}), with progress and a summary of what was refused and
 * why.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Imports a FER2013 CSV, an archive (zip, tar, tar.gz) or a folder into a dataset through"
          + " the ingest service, showing the upload's and the import's progress, then what was"
          + " refused and why, and the dataset's images per class and split.",
      "%nA folder is packed as a zip first (hidden files left out) and read as an image folder:"
          + " {train,test}/<class>/<image> or <class>/<image>. The dataset is defined by its first"
          + " import when it does not exist yet: give --size, and its classes come from the data"
          + " unless it was defined with its own (PUT /datasets/{name}). Re-importing the same"
          + " images adds nothing (they count as duplicates).",
      "%nTalks to the ingest service that './alfer serve' started, or to ALFER_INGEST_URL."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:the import finished; images were taken in, or all were there already",
      "1:the import was refused (nothing taken in: see the reasons) or failed",
      "2:invalid options",
      "3:the services are not running (./alfer serve)"
    })
final class ImportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin StackHomeOption home;

  @Parameters(
      index = "0",
      paramLabel = "FILE|DIR",
      description = "A FER2013 CSV, an archive (zip, tar, tar.gz) or a folder of images.")
  Path source;

  @Option(
      names = "--dataset",
      required = true,
      paramLabel = "NAME",
      description = "The dataset to import into (letters, digits, '-', '_', '.').")
  String dataset;

  @Option(
      names = "--layout",
      defaultValue = "auto",
      description =
          "auto (default: detected), fer2013-csv, image-folder, rafdb or kdef; a folder is read"
              + " as image-folder unless told otherwise.")
  String layout;

  @Option(
      names = "--size",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "Side of the dataset's images in pixels (they are resampled to N×N as they come in);"
              + " needed when the import defines the dataset, checked against it otherwise.")
  int size;

  @Option(
      names = "--split",
      description =
          "pool or test: put every image in that split (default: the data's own split, e.g."
              + " FER2013's Usage column or an image folder's train/ and test/).")
  String split;

  @Option(
      names = "--show-refusals",
      defaultValue = "10",
      paramLabel = "N",
      description = "Refusals listed one by one at the end (default ${DEFAULT-VALUE}).")
  int showRefusals;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (!Files.exists(source)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "no such file or folder: " + source);
    }
    if (size < 0) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--size must be a positive number of pixels, not " + size);
    }
    IngestClient ingest = new IngestClient(ServiceDirectory.locate("ingest", home.layout()));
    Path upload = source;
    String name = source.getFileName() == null ? "upload" : source.getFileName().toString();
    String chosenLayout = layout;
    Path packed = null;
    try {
      if (Files.isDirectory(source)) {
        List<Path> files = FolderZip.files(source);
        if (files.isEmpty()) {
          throw new StackException("the folder " + source + " has no files");
        }
        packed = Files.createTempFile("alfer-import-", ".zip");
        int total = files.size();
        FolderZip.write(
            source,
            files,
            packed,
            n -> {
              if (n % 500 == 0 || n == total) {
                out.printf("\rpacking %s: %d/%d files", source, n, total);
                out.flush();
              }
            });
        out.println();
        upload = packed;
        name = name + ".zip";
        if (chosenLayout.equals("auto")) {
          chosenLayout = "image-folder";
        }
      }
      JsonNode started = send(ingest, upload, name, chosenLayout, out);
      String id = started.path("id").asText();
      out.printf(
          "import %s of %s into dataset %s (layout %s)%n",
          id, name, dataset, started.path("layout").asText(chosenLayout));
      JsonNode view = ImportWatcher.watch(ingest, id, out);
      summarise(view, out);
      String state = view.path("state").asText();
      if (!"SUCCEEDED".equals(state)) {
        throw new StackException(
            "import "
                + id
                + " "
                + state.toLowerCase(Locale.ROOT)
                + ": "
                + view.path("error").asText());
      }
      DatasetSummaryTable.print(ingest.dataset(dataset), out);
      return 0;
    } finally {
      if (packed != null) {
        Files.deleteIfExists(packed);
      }
    }
  }

  private JsonNode send(
      IngestClient ingest, Path file, String name, String chosenLayout, PrintWriter out)
      throws IOException {
    long total = Files.size(file);
    AtomicLong sent = new AtomicLong();
    long t0 = System.nanoTime();
    Thread bar =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                drawUpload(out, sent.get(), total, t0);
                try {
                  Thread.sleep(250);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "alfer-upload-progress");
    bar.setDaemon(true);
    bar.start();
    try {
      return ingest.upload(dataset, file, name, chosenLayout, split, size, sent::set);
    } finally {
      bar.interrupt();
      try {
        bar.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      drawUpload(out, sent.get(), total, t0);
      out.println();
    }
  }

  private static void drawUpload(PrintWriter out, long sent, long total, long t0) {
    int width = 30;
    int filled = total > 0 ? (int) Math.min(width, sent * width / total) : width;
    double seconds = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
    synchronized (out) {
      out.printf(
          Locale.ROOT,
          "\ruploading [%s%s] %.1f/%.1f MB  %.1f MB/s   ",
          "#".repeat(filled),
          " ".repeat(width - filled),
          sent / 1e6,
          total / 1e6,
          sent / 1e6 / seconds);
      out.flush();
    }
  }

  /** What was taken in and what was refused, by reason, then the first refusals one by one. */
  void summarise(JsonNode view, PrintWriter out) {
    out.printf(
        "%d items read: %d taken in, %d already there, %d refused%n",
        view.path("done").asLong(),
        view.path("accepted").asLong(),
        view.path("duplicates").asLong(),
        view.path("refused").asLong());
    if (view.path("refused").asLong() == 0) {
      return;
    }
    out.println("refused, by reason:");
    for (Map.Entry<String, JsonNode> r : view.path("refusedByReason").properties()) {
      out.printf("  %-22s %d%n", r.getKey(), r.getValue().asLong());
    }
    JsonNode refusals = view.path("refusals");
    int shown = Math.min(showRefusals, refusals.size());
    if (shown > 0) {
      out.printf("the first %d:%n", shown);
      for (int i = 0; i < shown; i++) {
        JsonNode r = refusals.get(i);
        out.printf(
            "  %-28s %-22s %s%n",
            r.path("source").asText(), r.path("reason").asText(), r.path("message").asText());
      }
    }
    out.flush();
  }
}
