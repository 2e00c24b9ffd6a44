package io.alfer.embed.config;

/** Where models run, as configured ({@code alfer.embed.device}). */
public enum Device {
  /** The CUDA execution provider when this build and host have it, else the CPU (warned). */
  AUTO,
  /** Always the CPU execution provider. */
  CPU,
  /** The CUDA execution provider; falls back to the CPU with a warning when unavailable. */
  CUDA
}
