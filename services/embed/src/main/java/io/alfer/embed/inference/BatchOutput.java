package io.alfer.embed.inference;

/**
 * What one ONNX Runtime call gave for {@code rows} images, row-major.
 *
 * @param rows images in the batch
 * @param embeddings {@code rows × embeddingDim} values
 * @param probabilities {@code rows × classes} softmax probabilities; empty for encoders
 */
public record BatchOutput(int rows, float[] embeddings, float[] probabilities) {}
