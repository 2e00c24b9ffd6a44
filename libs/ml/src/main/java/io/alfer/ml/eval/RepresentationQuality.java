package io.alfer.ml.eval;

/**
 * How good an encoder's embeddings are for classifying a labelled probe set, without training the
 * encoder: two figures in [0, 1], both "higher is better".
 *
 * @param knnAccuracy leave-one-out k-NN accuracy (cosine, majority vote; {@link KnnAccuracy}): are
 *     images of a class neighbours in the embedding space?
 * @param linearProbeAccuracy cross-validated ridge-classifier accuracy ({@link
 *     LinearProbeAccuracy}): can a linear head, as fine-tuning adds, read the classes off the
 *     embeddings?
 * @param images probe images measured on
 * @param seconds wall time of the measurement (inference over the probe and both figures)
 */
public record RepresentationQuality(
    double knnAccuracy, double linearProbeAccuracy, int images, double seconds) {}
