package io.alfer.embed.model;

/** Where a known model stands in this service. */
public enum ModelState {
  /** The newest model of its lineage: embedded over its dataset, served by the REST endpoint. */
  LIVE,
  /** Superseded by a newer model of the same lineage; its session is closed. */
  RETIRED,
  /** Its ONNX export could not be loaded or checked; the reason is kept. */
  FAILED
}
