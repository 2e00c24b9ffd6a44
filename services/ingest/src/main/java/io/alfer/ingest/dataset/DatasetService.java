package io.alfer.ingest.dataset;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.alfer.core.catalog.CatalogWriter;
import io.alfer.datasets.ClassTaxonomy;
import io.alfer.ingest.config.IngestConfig;
import io.alfer.kit.error.ServiceException;
import io.alfer.proto.v1.DatasetDefined;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Defines datasets: checks a definition, stores it, announces it, remembers it.
 *
 * <p>A dataset is <em>defined</em> (stored as {@code dataset.json} and announced on {@code
 * alfer.datasets}) with its classes and size: by {@code PUT} with classes, or by its first import,
 * which takes the classes from the data (an image folder's class folders, FER's seven for the
 * FER2013, RAF-DB and KDEF layouts). A {@code PUT} without classes leaves it <em>pending</em> (see
 * {@link DatasetDrafts}): its size is fixed, its classes come from its first import. Once defined,
 * classes and size never change; an import maps its classes onto the definition by name.
 */
@ApplicationScoped
public class DatasetService {
  private static final Logger LOG = Logger.getLogger(DatasetService.class);
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  /** The layout recorded for a dataset defined by {@code PUT} with its classes. */
  public static final String DEFINED_LAYOUT = "defined";

  private final Catalog catalog;
  private final DatasetDrafts drafts;
  private final CatalogWriter writer;
  private final IngestConfig config;

  public DatasetService(
      Catalog catalog, DatasetDrafts drafts, CatalogWriter writer, IngestConfig config) {
    this.catalog = catalog;
    this.drafts = drafts;
    this.writer = writer;
    this.config = config;
  }

  /** What {@link #define} did: the dataset's summary, and whether the request created it. */
  public record Defined(DatasetSummary summary, boolean created) {}

  /**
   * What an import writes into: the dataset's definition (stored with the import's first image
   * unless it exists already) and how the labels of the import's data map onto its classes.
   */
  public record ImportTarget(DatasetDefinition definition, ClassMapping mapping) {}

  /** The summary of a dataset, defined or pending, or 404. */
  public DatasetSummary summary(String name) {
    checkName(name);
    Optional<DatasetDefinition> defined = catalog.definition(name);
    if (defined.isPresent()) {
      return catalog.summary(defined.get());
    }
    return drafts
        .find(name)
        .map(DatasetSummary::pending)
        .orElseThrow(
            () -> ServiceException.notFound("unknown_dataset", "no dataset named '" + name + "'"));
  }

  /** Every dataset, defined or pending, by name. */
  public List<DatasetSummary> summaries() {
    Map<String, DatasetSummary> all = new TreeMap<>();
    for (DatasetDrafts.Draft d : drafts.all()) {
      all.put(d.name(), DatasetSummary.pending(d));
    }
    for (DatasetDefinition d : catalog.definitions()) {
      all.put(d.name(), catalog.summary(d)); // a stale draft of a defined dataset does not count
    }
    return new ArrayList<>(all.values());
  }

  /**
   * Defines a dataset ({@code PUT /datasets/{name}}).
   *
   * <ul>
   *   <li>With classes: the dataset is defined with them, at {@code size} (else the pending
   *       dataset's size, else the default). An existing dataset must have exactly these classes,
   *       in this order, and this size (when given): 409 otherwise, naming the difference.
   *   <li>Without classes: an existing dataset is answered as it is (409 when {@code size}
   *       differs); otherwise the dataset is pending at {@code size} (else the default), its
   *       classes to come from its first import. A pending dataset has no images: a later
   *       definition replaces it.
   * </ul>
   *
   * @param classes class names in label order, or null
   * @param size canonical side in pixels, or null
   */
  public synchronized Defined define(String name, List<String> classes, Integer size) {
    checkName(name);
    if (size != null) {
      checkSize(size);
    }
    if (classes != null && classes.stream().anyMatch(c -> c == null || c.isBlank())) {
      throw ServiceException.badRequest("bad_taxonomy", "class names must not be blank");
    }
    Optional<DatasetDefinition> existing = catalog.definition(name);
    if (existing.isPresent()) {
      DatasetDefinition d = existing.get();
      if (classes != null && !classes.equals(d.classes())) {
        throw taxonomyMismatch(d, classes);
      }
      if (size != null && size != d.size()) {
        throw sizeMismatch(d.name(), d.size(), size, false, "the request");
      }
      return new Defined(catalog.summary(d), false);
    }
    Optional<DatasetDrafts.Draft> draft = drafts.find(name);
    int chosen =
        size != null ? size : draft.map(DatasetDrafts.Draft::size).orElse(config.defaultSize());
    if (classes == null) {
      DatasetDrafts.Draft pending = new DatasetDrafts.Draft(name, chosen);
      if (!draft.equals(Optional.of(pending))) {
        drafts.put(pending);
      }
      return new Defined(DatasetSummary.pending(pending), draft.isEmpty());
    }
    DatasetDefinition d = new DatasetDefinition(name, classes, chosen, DEFINED_LAYOUT);
    checkDefinition(d);
    return new Defined(catalog.summary(store(d)), true);
  }

  /**
   * The dataset a single upload goes into: the defined one, or a new one with FER's seven classes
   * at the default size (a draft: stored with the upload, see {@link #store}).
   *
   * @throws ServiceException 409 {@code classes_unknown} for a pending dataset: an upload's label
   *     cannot tell the dataset's classes
   */
  public DatasetDefinition forUpload(String name) {
    checkName(name);
    Optional<DatasetDefinition> existing = catalog.definition(name);
    if (existing.isPresent()) {
      return existing.get();
    }
    if (drafts.find(name).isPresent()) {
      throw ServiceException.conflict(
          "classes_unknown",
          "dataset '"
              + name
              + "' takes its classes from its first import, and it has had none: import the"
              + " dataset first (POST /datasets/"
              + name
              + "/imports), or define its classes (PUT /datasets/"
              + name
              + " with \"classes\")");
    }
    DatasetDefinition d =
        new DatasetDefinition(name, ClassTaxonomy.FER7.classes(), config.defaultSize(), "upload");
    checkDefinition(d);
    return d;
  }

  /**
   * The dataset an import goes into, checked before anything is read: the defined one (its size
   * must be {@code size} when given; the data's classes must be among its classes, mapped by name),
   * or a draft of a new one (stored with the import's first image, see {@link #store}) with the
   * data's classes, at {@code size}, else the pending dataset's size, else the default.
   *
   * @param layout the import's layout id, recorded in a new definition
   * @param dataClasses the classes the data's labels index, in the reader's order
   * @param what the data in a refusal's words, e.g. {@code "image folder"}
   * @throws ServiceException 409 {@code size_mismatch} or {@code taxonomy_mismatch} naming the
   *     difference; 400 {@code bad_size}, {@code bad_taxonomy}, {@code bad_dataset_name}
   */
  public ImportTarget forImport(
      String name, String layout, List<String> dataClasses, OptionalInt size, String what) {
    checkName(name);
    if (size.isPresent()) {
      checkSize(size.getAsInt());
    }
    Optional<DatasetDefinition> existing = catalog.definition(name);
    if (existing.isPresent()) {
      DatasetDefinition d = existing.get();
      if (size.isPresent() && size.getAsInt() != d.size()) {
        throw sizeMismatch(name, d.size(), size.getAsInt(), false, "the import");
      }
      return new ImportTarget(d, ClassMapping.of(d, dataClasses, what));
    }
    Optional<DatasetDrafts.Draft> draft = drafts.find(name);
    if (draft.isPresent() && size.isPresent() && size.getAsInt() != draft.get().size()) {
      throw sizeMismatch(name, draft.get().size(), size.getAsInt(), true, "the import");
    }
    int chosen =
        size.isPresent()
            ? size.getAsInt()
            : draft.map(DatasetDrafts.Draft::size).orElse(config.defaultSize());
    if (dataClasses.size() < 2) {
      throw ServiceException.badRequest(
          "bad_taxonomy",
          "the "
              + what
              + " has only the class "
              + dataClasses
              + ", and a new dataset needs at least two: define the dataset's classes first (PUT"
              + " /datasets/"
              + name
              + " with \"classes\"), or import more classes");
    }
    DatasetDefinition d = new DatasetDefinition(name, dataClasses, chosen, layout);
    checkDefinition(d);
    return new ImportTarget(d, ClassMapping.identity(dataClasses.size()));
  }

  /**
   * Stores and announces a definition unless the dataset exists; returns the stored one. A pending
   * dataset's draft is deleted once its definition is announced.
   */
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
    try {
      drafts.delete(d.name());
    } catch (RuntimeException e) {
      // Harmless: a definition outranks a draft; the next definition of the name retries.
      LOG.warnf("cannot delete the draft of dataset %s: %s", d.name(), e.getMessage());
    }
    return d;
  }

  /** 409 {@code taxonomy_mismatch}: a request's classes are not the defined ones. */
  private static ServiceException taxonomyMismatch(DatasetDefinition d, List<String> asked) {
    ClassMapping.Difference diff = ClassMapping.difference(d, asked);
    String message =
        "dataset '"
            + d.name()
            + "' is defined with classes "
            + d.classes()
            + ", not "
            + asked
            + ": ";
    if (diff.notDefined().isEmpty()
        && diff.notInData().isEmpty()
        && asked.size() == d.classes().size()) {
      message +=
          "the same classes in another order (or spelling), and a class's label is its place in"
              + " the definition, which cannot change";
    } else {
      List<String> parts = new ArrayList<>();
      if (!diff.notDefined().isEmpty()) {
        parts.add(diff.notDefined() + " not defined");
      }
      if (!diff.notInData().isEmpty()) {
        parts.add(diff.notInData() + " missing from the request");
      }
      if (parts.isEmpty()) {
        parts.add("a class is listed twice");
      }
      message += String.join(", ", parts);
    }
    return ServiceException.conflict("taxonomy_mismatch", message).withDetails(diff);
  }

  /** 409 {@code size_mismatch} naming both sizes. */
  private static ServiceException sizeMismatch(
      String name, int defined, int asked, boolean pending, String who) {
    return ServiceException.conflict(
            "size_mismatch",
            "dataset '"
                + name
                + "' "
                + (pending ? "was defined with size " : "has size ")
                + defined
                + " ("
                + defined
                + "x"
                + defined
                + " images"
                + (pending ? ", classes from its first import" : "")
                + "); "
                + who
                + " asks for size "
                + asked
                + ": leave the size out to use "
                + defined
                + ", or use another dataset name")
        .withDetails(Map.of("dataset", name, "size", defined, "asked", asked));
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

  /** 400 {@code bad_size} unless {@code size} is a canonical size the service takes. */
  public static void checkSize(int size) {
    if (size < DatasetDefinition.MIN_SIZE || size > DatasetDefinition.MAX_SIZE) {
      throw ServiceException.badRequest(
          "bad_size",
          "canonical size "
              + size
              + " is outside "
              + DatasetDefinition.MIN_SIZE
              + ".."
              + DatasetDefinition.MAX_SIZE);
    }
  }

  private static void checkDefinition(DatasetDefinition d) {
    if (d.classes().size() < 2) {
      throw ServiceException.badRequest(
          "bad_taxonomy",
          "a taxonomy needs at least two classes, got "
              + d.classes()
              + " (leave \"classes\" out to take them from the first import)");
    }
    if (d.classes().stream().anyMatch(c -> c == null || c.isBlank())) {
      throw ServiceException.badRequest("bad_taxonomy", "class names must not be blank");
    }
    if (new HashSet<>(d.classes().stream().map(c -> c.toLowerCase(Locale.ROOT)).toList()).size()
        != d.classes().size()) {
      throw ServiceException.badRequest(
          "bad_taxonomy", "class names must be unique (case-insensitive): " + d.classes());
    }
    checkSize(d.size());
  }
}
