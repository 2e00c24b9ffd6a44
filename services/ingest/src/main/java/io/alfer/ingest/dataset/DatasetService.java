package io.alfer.ingest.dataset;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.alfer.core.catalog.CatalogWriter;
import io.alfer.datasets.ClassTaxonomy;
import io.alfer.ingest.config.IngestConfig;
import io.alfer.kit.error.ServiceException;
import io.alfer.proto.v1.DatasetDefined;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;

/** Defines datasets: checks a definition, stores it, announces it, remembers it. */
@ApplicationScoped
public class DatasetService {
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private final Catalog catalog;
  private final CatalogWriter writer;
  private final IngestConfig config;

  public DatasetService(Catalog catalog, CatalogWriter writer, IngestConfig config) {
    this.catalog = catalog;
    this.writer = writer;
    this.config = config;
  }

  /** The definition of an existing dataset, or 404. */
  public DatasetDefinition require(String name) {
    checkName(name);
    return catalog
        .definition(name)
        .orElseThrow(
            () -> ServiceException.notFound("unknown_dataset", "no dataset named '" + name + "'"));
  }

  /**
   * The definition of a dataset, or a draft of a new one (not stored yet: see {@link #store}) with
   * the default taxonomy (FER's seven classes) and canonical size.
   */
  public DatasetDefinition existingOrDraft(String name, String layout) {
    return existingOrDraft(name, layout, ClassTaxonomy.FER7.classes(), 0);
  }

  /**
   * The definition of a dataset, or a draft of a new one with the given classes and size (0 for the
   * default). An existing dataset must have the classes asked for: an import cannot silently change
   * a taxonomy.
   */
  public DatasetDefinition existingOrDraft(
      String name, String layout, List<String> classes, int size) {
    checkName(name);
    var existing = catalog.definition(name);
    if (existing.isPresent()) {
      DatasetDefinition d = existing.get();
      if (!classes.equals(d.classes()) && !layoutFree(layout)) {
        throw ServiceException.conflict(
            "taxonomy_mismatch",
            "dataset '" + name + "' has classes " + d.classes() + ", not " + classes);
      }
      if (size != 0 && size != d.size()) {
        throw ServiceException.conflict(
            "size_mismatch", "dataset '" + name + "' has size " + d.size() + ", not " + size);
      }
      return d;
    }
    DatasetDefinition d =
        new DatasetDefinition(name, classes, size != 0 ? size : config.defaultSize(), layout);
    checkDefinition(d);
    return d;
  }

  /** Stores and announces a definition unless the dataset exists; returns the stored one. */
  public synchronized DatasetDefinition store(DatasetDefinition d) {
    var existing = catalog.definition(d.name());
    if (existing.isPresent()) {
      return existing.get();
    }
    checkDefinition(d);
    DatasetDefined event = writer.definition(d.name(), d.classes(), d.size(), d.layout());
    writer
        .define(event)
        .toCompletableFuture()
        .orTimeout(ACK_TIMEOUT.toMillis(), MILLISECONDS)
        .join();
    catalog.define(event);
    return d;
  }

  /** Single uploads take the dataset's taxonomy as it is. */
  private static boolean layoutFree(String layout) {
    return "upload".equals(layout);
  }

  private static void checkName(String name) {
    if (name == null || !DatasetDefinition.NAME.matcher(name).matches()) {
      throw ServiceException.badRequest(
          "bad_dataset_name",
          "dataset name '"
              + name
              + "' is not allowed: use 1-63 lower-case letters, digits, '-' or '_'");
    }
  }

  private static void checkDefinition(DatasetDefinition d) {
    if (d.classes().size() < 2) {
      throw ServiceException.badRequest("bad_taxonomy", "a taxonomy needs at least two classes");
    }
    if (new HashSet<>(d.classes().stream().map(String::toLowerCase).toList()).size()
        != d.classes().size()) {
      throw ServiceException.badRequest(
          "bad_taxonomy", "class names must be unique (case-insensitive): " + d.classes());
    }
    if (d.classes().stream().anyMatch(c -> c == null || c.isBlank())) {
      throw ServiceException.badRequest("bad_taxonomy", "class names must not be blank");
    }
    if (d.size() < DatasetDefinition.MIN_SIZE || d.size() > DatasetDefinition.MAX_SIZE) {
      throw ServiceException.badRequest(
          "bad_size",
          "canonical size "
              + d.size()
              + " is outside "
              + DatasetDefinition.MIN_SIZE
              + ".."
              + DatasetDefinition.MAX_SIZE);
    }
  }
}
