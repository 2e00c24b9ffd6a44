/**
 * alfer's machine learning on DJL with the PyTorch engine, fully offline (the native library comes
 * from the {@code pytorch-native-cpu} jar; run with {@code -Dai.djl.offline=true}).
 *
 * <ul>
 *   <li>{@link io.alfer.ml.model}: encoder presets ({@link io.alfer.ml.model.EncoderSpec}), the
 *       networks, and models with their parameters ({@link io.alfer.ml.model.EncoderModel}, {@link
 *       io.alfer.ml.model.ClassifierModel}).
 *   <li>{@link io.alfer.ml.simclr}: SimCLR pre-training ({@link io.alfer.ml.simclr.SimClrTrainer})
 *       with NT-Xent.
 *   <li>{@link io.alfer.ml.finetune}: per-round fine-tuning and evaluation.
 *   <li>{@link io.alfer.ml.train}: optimizers, learning-rate schedules, progress, cancellation and
 *       resume.
 *   <li>{@link io.alfer.ml.checkpoint}: checkpoints with metadata, saved to object storage.
 *   <li>{@link io.alfer.ml.onnx}: ONNX export (opset 13) and its validator.
 *   <li>{@link io.alfer.ml.data}: packed images, augmentation, shards and their local cache.
 * </ul>
 */
package io.alfer.ml;
