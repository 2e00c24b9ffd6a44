package io.alfer.ingest.importing;

import io.alfer.core.catalog.CatalogWriter;
import io.alfer.core.concurrent.DaemonThreads;
import io.alfer.datasets.DatasetRejectedException;
import io.alfer.datasets.archive.ArchiveLimits;
import io.alfer.datasets.image.ImageNormalizer;
import io.alfer.datasets.image.InvalidImageException;
import io.alfer.datasets.image.NormalizedImage;
import io.alfer.datasets.layout.DatasetEntry;
import io.alfer.datasets.layout.DatasetImporter;
import io.alfer.datasets.layout.DatasetItem;
import io.alfer.datasets.layout.DatasetReader;
import io.alfer.datasets.layout.EntryError;
import io.alfer.datasets.layout.ImageData;
import io.alfer.datasets.layout.ImportOptions;
import io.alfer.datasets.layout.Layout;
import io.alfer.ingest.config.IngestConfig;
import io.alfer.ingest.dataset.ClassMapping;
import io.alfer.ingest.dataset.DatasetDefinition;
import io.alfer.ingest.dataset.DatasetService;
import io.alfer.ingest.image.ImageService;
import io.alfer.ingest.metrics.IngestMetrics;
import io.alfer.kit.error.ServiceException;
import io.alfer.proto.v1.Split;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Bulk imports: an uploaded archive or CSV is checked as a whole first (layout, paths, entry count,
 * classes and size against the dataset — a refused upload changes nothing), then read item by item;
 * each image is normalised, stored and announced by {@link ImageService} on a bounded pool of
 * workers. A bad row or file is refused with its reason and the rest goes in. A new dataset is
 * defined (stored and announced) only when its first image is about to be stored, so an import that
 * takes nothing in creates nothing; it ends {@link ImportJob.State#REFUSED}. A new dataset takes
 * the data's classes; the data's labels map onto an existing dataset's classes by name.
 * Content-derived ids make a re-run after an interruption add only what is missing.
 */
@ApplicationScoped
public class ImportService {
  private static final Logger LOG = Logger.getLogger(ImportService.class);

  /** The reason of an import that took nothing in. */
  public static final String NOTHING_IMPORTED = "nothing_imported";

  private final DatasetService datasets;
  private final ImageService images;
  private final IngestMetrics metrics;
  private final IngestConfig config;
  private final Map<String, ImportJob> jobs = new ConcurrentHashMap<>();
  private final ExecutorService runners =
      Executors.newCachedThreadPool(DaemonThreads.numbered("import"));

  public ImportService(
      DatasetService datasets, ImageService images, IngestMetrics metrics, IngestConfig config) {
    this.datasets = datasets;
    this.images = images;
    this.metrics = metrics;
    this.config = config;
  }

  /**
   * Checks an upload and starts importing it. The upload file is deleted when the import ends.
   *
   * @param upload the uploaded bytes (a temporary file)
   * @param uploadName what the upload is called in refusal sources ({@code name:line}), e.g. the
   *     form's {@code filename}
   * @param size the canonical size of a dataset the import defines, or that an existing dataset
   *     must have; empty for the dataset's (or the default) size
   * @throws ServiceException 400 when the upload as a whole is refused, 409 when its classes or
   *     size contradict the dataset's
   */
  public ImportJob start(
      String datasetName,
      Path upload,
      String uploadName,
      Optional<Layout> layout,
      Optional<Split> split,
      OptionalInt size) {
    DatasetReader reader;
    try {
      ImportOptions options =
          new ImportOptions(
              layout,
              split,
              new ArchiveLimits(
                  config.maxArchiveEntries(),
                  ArchiveLimits.DEFAULT.maxTotalBytes(),
                  ArchiveLimits.DEFAULT.maxEntryBytes()));
      reader = DatasetImporter.open(upload, uploadName, options);
    } catch (DatasetRejectedException e) {
      deleteQuietly(upload);
      throw ServiceException.badRequest(e.reason().name().toLowerCase(Locale.ROOT), e.getMessage());
    }
    DatasetService.ImportTarget target;
    try {
      // Checked now (contradicting classes or size are refused whole), stored with the first image.
      target =
          datasets.forImport(
              datasetName,
              reader.layout().id(),
              reader.taxonomy().classes(),
              size,
              describe(reader.layout()));
    } catch (RuntimeException e) {
      reader.close();
      deleteQuietly(upload);
      throw e;
    }
    DatasetDefinition dataset = target.definition();
    ImportJob job =
        new ImportJob(
            UUID.randomUUID().toString(),
            dataset.name(),
            reader.layout().id(),
            reader.expectedItems(),
            config.refusalsKept());
    jobs.put(job.id(), job);
    Definition definition =
        new Definition(target, reader.taxonomy().classes(), describe(reader.layout()));
    runners.submit(() -> run(job, reader, definition, upload, uploadName));
    return job;
  }

  /** The data of a layout in a refusal's words. */
  static String describe(Layout layout) {
    return switch (layout) {
      case IMAGE_FOLDER -> "image folder";
      case FER2013_CSV -> "FER2013 CSV (FER's seven classes)";
      case RAFDB -> "RAF-DB archive (FER's seven classes)";
      case KDEF -> "KDEF archive (FER's seven classes)";
    };
  }

  /** An import by id. */
  public Optional<ImportJob> find(String id) {
    return Optional.ofNullable(jobs.get(id));
  }

  /** Every import since the service started. */
  public Collection<ImportJob> all() {
    return jobs.values();
  }

  /** Waits for an import to end (bounded). */
  public ImportJob await(ImportJob job, long timeoutSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    synchronized (job) {
      while (job.state() == ImportJob.State.RUNNING && System.nanoTime() < deadline) {
        job.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
    }
    return job;
  }

  /**
   * The dataset an import writes to: the definition checked at its start, stored (and announced)
   * once, when the first image is ready to be stored; and how the data's labels map onto it.
   */
  private final class Definition {
    private final DatasetDefinition draft;
    private final List<String> dataClasses;
    private final String what;
    private volatile ClassMapping mapping;
    private DatasetDefinition stored;

    Definition(DatasetService.ImportTarget target, List<String> dataClasses, String what) {
      this.draft = target.definition();
      this.mapping = target.mapping();
      this.dataClasses = dataClasses;
      this.what = what;
    }

    int size() {
      return draft.size();
    }

    synchronized DatasetDefinition stored() {
      if (stored == null) {
        DatasetDefinition s = datasets.store(draft);
        if (s.size() != draft.size()) {
          // Another request defined the dataset at another size since this import was checked.
          throw ServiceException.conflict(
              "size_mismatch",
              "dataset '"
                  + s.name()
                  + "' was defined meanwhile with size "
                  + s.size()
                  + "; this import's images are "
                  + draft.size()
                  + "x"
                  + draft.size());
        }
        if (!s.classes().equals(draft.classes())) {
          // Defined meanwhile with other classes: the data's must still be among them.
          mapping = ClassMapping.of(s, dataClasses, what);
        }
        stored = s;
      }
      return stored;
    }

    /** The dataset's label of a label of the data; call after {@link #stored()}. */
    int label(int dataLabel) {
      return mapping.label(dataLabel);
    }
  }

  private void run(
      ImportJob job, DatasetReader reader, Definition dataset, Path upload, String uploadName) {
    int parallelism = config.importParallelism();
    ExecutorService workers =
        Executors.newFixedThreadPool(parallelism, DaemonThreads.numbered("import-worker"));
    int perSegment = config.imagesPerSegment();
    // Bounds the items read ahead of the workers plus the announcements awaiting their ack; a
    // segment's images wait for it to fill, so there is room for one whole segment more.
    int permits = parallelism * 64 + perSegment;
    Semaphore inFlight = new Semaphore(permits);
    ImageNormalizer normalizer = new ImageNormalizer(dataset.size(), config.maxPixels());
    Segmenting segmenting = new Segmenting(dataset, perSegment);
    try (reader) {
      DatasetRejectedException unreadable = null;
      try {
        while (reader.hasNext()) {
          DatasetItem item = reader.next();
          job.itemRead();
          if (item instanceof EntryError error) {
            refuse(job, error.source(), error.problem().name(), error.message());
            continue;
          }
          DatasetEntry entry = (DatasetEntry) item;
          inFlight.acquire();
          workers.execute(() -> ingest(job, entry, dataset, normalizer, inFlight, segmenting));
        }
      } catch (DatasetRejectedException e) {
        unreadable = e; // corrupt part-way, e.g. a gzip stream cut short
      }
      workers.shutdown(); // every entry read has been handed to its segment (or refused) ...
      if (!workers.awaitTermination(1, TimeUnit.HOURS)) {
        throw new IllegalStateException("import workers did not finish within an hour");
      }
      segmenting.flush(); // ... the last segment is written and its images announced ...
      inFlight.acquire(permits); // ... and every entry is stored and announced, or refused
      if (unreadable != null && job.tookNothing()) {
        // Nothing went in before the upload turned unreadable: the upload is refused.
        refuse(job, uploadName, unreadable.reason().name(), unreadable.getMessage());
        unreadable = null;
      }
      if (unreadable != null) {
        LOG.warnf("import %s stopped part-way: %s", job.id(), unreadable.getMessage());
      }
      finish(job, unreadable == null ? null : unreadable.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finish(job, "interrupted");
    } catch (RuntimeException e) {
      LOG.errorf(e, "import %s failed", job.id());
      finish(job, e.getMessage());
    } finally {
      workers.shutdownNow();
      deleteQuietly(upload);
    }
  }

  private void ingest(
      ImportJob job,
      DatasetEntry entry,
      Definition dataset,
      ImageNormalizer normalizer,
      Semaphore inFlight,
      Segmenting segmenting) {
    try {
      NormalizedImage image = entry.image().normalizeWith(normalizer);
      byte[] original = entry.image() instanceof ImageData.Encoded enc ? enc.bytes() : null;
      DatasetDefinition stored = dataset.stored();
      images
          .ingest(
              stored,
              image,
              original,
              entry.split(),
              dataset.label(entry.label()),
              entry.source(),
              segmenting.segments())
          .whenComplete(
              (outcome, failure) -> {
                if (failure != null) {
                  refuse(job, entry.source(), "not_announced", failure.getMessage());
                } else if (outcome.created()) {
                  job.accepted();
                } else {
                  job.duplicate();
                }
                inFlight.release();
              });
    } catch (InvalidImageException e) {
      refuse(job, entry.source(), e.reason().name(), e.getMessage());
      inFlight.release();
    } catch (ServiceException e) {
      refuse(job, entry.source(), e.reason(), e.getMessage());
      inFlight.release();
    } catch (RuntimeException e) {
      refuse(job, entry.source(), "storage_failed", e.getMessage());
      inFlight.release();
    }
  }

  /** An import's segments, opened once the dataset is stored (its first image). */
  private final class Segmenting {
    private final Definition dataset;
    private final int perSegment;
    private CatalogWriter.Segments segments;

    Segmenting(Definition dataset, int perSegment) {
      this.dataset = dataset;
      this.perSegment = perSegment;
    }

    synchronized CatalogWriter.Segments segments() {
      if (segments == null) {
        segments = images.segments(dataset.stored(), perSegment);
      }
      return segments;
    }

    void flush() {
      CatalogWriter.Segments open;
      synchronized (this) {
        open = segments;
      }
      if (open != null) {
        open.flush();
      }
    }
  }

  private void refuse(ImportJob job, String source, String reason, String message) {
    String r = reason.toLowerCase(Locale.ROOT);
    job.refused(source, r, message);
    metrics.refused(r);
  }

  private void finish(ImportJob job, String error) {
    synchronized (job) {
      if (error != null) {
        job.failed(error);
      } else if (job.tookNothing()) {
        job.refusedWhole(job.nothingTaken());
        metrics.refused(NOTHING_IMPORTED);
      } else {
        job.succeeded();
      }
      job.notifyAll();
    }
    ImportView v = job.view();
    LOG.infof(
        "import %s into %s: %s, %d accepted, %d duplicates, %d refused in %.1f images/s",
        v.id(),
        v.dataset(),
        v.state(),
        v.accepted(),
        v.duplicates(),
        v.refused(),
        v.imagesPerSecond());
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warnf("cannot delete upload %s: %s", file, e.getMessage());
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    runners.shutdownNow();
  }
}
