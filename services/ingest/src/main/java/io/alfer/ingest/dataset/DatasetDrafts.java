package io.alfer.ingest.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageException;
import io.alfer.core.storage.StorageLayout;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Datasets defined without classes: their size is fixed, their classes come from their first
 * import. Such a dataset is not announced on {@code alfer.datasets} (every consumer there needs the
 * classes), so its record lives in object storage ({@code datasets/<name>/draft.json}), where every
 * instance of the service finds it and a restart keeps it. The first import that takes images in
 * defines the dataset for real, and its draft is deleted.
 */
@ApplicationScoped
public class DatasetDrafts {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SUFFIX = "/draft.json";

  /** A dataset waiting for its first import: its name and canonical size. */
  public record Draft(String name, int size) {}

  private final ObjectStore store;

  public DatasetDrafts(ObjectStore store) {
    this.store = store;
  }

  /** The draft of a dataset, if it has one. */
  public Optional<Draft> find(String name) {
    return store.find(StorageLayout.datasetDraft(name)).map(bytes -> parse(name, bytes));
  }

  /** Stores (or replaces) a draft. */
  public void put(Draft draft) {
    ObjectNode json = JSON.createObjectNode();
    json.put("dataset", draft.name());
    json.put("size", draft.size());
    json.put("classes", "from the first import");
    try {
      store.put(
          StorageLayout.datasetDraft(draft.name()),
          JSON.writeValueAsBytes(json),
          "application/json");
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the draft of " + draft.name(), e);
    }
  }

  /** Deletes a dataset's draft (nothing happens when there is none). */
  public void delete(String name) {
    store.delete(StorageLayout.datasetDraft(name));
  }

  /** Every draft. */
  public List<Draft> all() {
    List<Draft> drafts = new ArrayList<>();
    store.listKeys(
        "datasets/",
        key -> {
          if (key.endsWith(SUFFIX)) {
            String name = key.substring("datasets/".length(), key.length() - SUFFIX.length());
            if (DatasetDefinition.NAME.matcher(name).matches()) {
              find(name).ifPresent(drafts::add);
            }
          }
        });
    return drafts;
  }

  private static Draft parse(String name, byte[] bytes) {
    try {
      JsonNode json = JSON.readTree(bytes);
      int size = json.path("size").asInt(0);
      if (size < DatasetDefinition.MIN_SIZE || size > DatasetDefinition.MAX_SIZE) {
        throw new StorageException(
            StorageLayout.datasetDraft(name) + " holds no valid size: " + json, null);
      }
      return new Draft(name, size);
    } catch (IOException e) {
      throw new StorageException(
          StorageLayout.datasetDraft(name) + " is not JSON: " + e.getMessage(), e);
    }
  }
}
