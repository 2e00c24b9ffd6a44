package io.alfer.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alfer.core.storage.ObjectStore;
import io.alfer.core.storage.StorageLayout;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The trainer's evaluation of each round's classifier ({@code models/<model id>/evaluation.json}:
 * per-class counts and the confusion matrix), added to a campaign's rounds. A model's evaluation
 * never changes once written, so each is read once.
 */
@ApplicationScoped
public class Evaluations {
  /** The object under a model's prefix (the trainer's {@code ModelStore.EVALUATION}). */
  static final String EVALUATION = "evaluation.json";

  private final ObjectStore store;
  private final ObjectMapper json;
  private final Map<String, JsonNode> read = new ConcurrentHashMap<>();

  public Evaluations(ObjectStore store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  /**
   * Adds {@code confusion} and {@code perClassCount} to every round of {@code campaign} whose model
   * has its evaluation stored; rounds without one are left as they are.
   */
  public JsonNode addTo(JsonNode campaign) {
    for (JsonNode round : campaign.path("rounds")) {
      String model = round.path("modelId").asText("");
      if (round instanceof ObjectNode r && !model.isEmpty()) {
        of(model)
            .ifPresent(
                e -> {
                  r.set("confusion", e.path("confusion"));
                  r.set("perClassCount", e.path("perClassCount"));
                });
      }
    }
    return campaign;
  }

  private Optional<JsonNode> of(String modelId) {
    JsonNode known = read.get(modelId);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<byte[]> bytes = store.find(StorageLayout.modelPrefix(modelId) + EVALUATION);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      JsonNode evaluation = json.readTree(bytes.get());
      read.put(modelId, evaluation);
      return Optional.of(evaluation);
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
