package io.alfer.embed.model;

import io.alfer.embed.inference.ModelSession;
import io.alfer.proto.v1.ModelKind;
import io.alfer.proto.v1.ModelPublished;
import io.alfer.proto.v1.Split;
import java.util.List;

/**
 * A model announced on {@code alfer.models}, its state here and, once used, its one ONNX Runtime
 * session. Guarded by the registry.
 */
public final class ModelEntry {
  private final ModelPublished model;
  private ModelState state = ModelState.LIVE;
  private String failure = "";
  private ModelSession session;

  ModelEntry(ModelPublished model) {
    this.model = model;
  }

  public ModelPublished model() {
    return model;
  }

  public String id() {
    return model.getModelId();
  }

  public boolean classifier() {
    return model.getKind() == ModelKind.MODEL_KIND_CLASSIFIER;
  }

  /** The splits a model is run over: the pool, and the test split for classifiers. */
  public List<Split> splits() {
    return classifier() ? List.of(Split.SPLIT_POOL, Split.SPLIT_TEST) : List.of(Split.SPLIT_POOL);
  }

  public synchronized ModelState state() {
    return state;
  }

  /** Why the model failed; empty unless {@link ModelState#FAILED}. */
  public synchronized String failure() {
    return failure;
  }

  synchronized ModelSession session() {
    return session;
  }

  synchronized void session(ModelSession session) {
    this.session = session;
  }

  synchronized void fail(String reason) {
    state = ModelState.FAILED;
    failure = reason;
  }

  /** Marks the model retired and hands back its session (to close), if it had one. */
  synchronized ModelSession retire() {
    if (state == ModelState.LIVE) {
      state = ModelState.RETIRED;
    }
    ModelSession s = session;
    session = null;
    return s;
  }
}
