/**
 * Dataset layouts read lazily into {@link io.alfer.datasets.layout.DatasetItem}s: entries with
 * split and label, or per-file errors. Entry point: {@link
 * io.alfer.datasets.layout.DatasetImporter#open}.
 */
package io.alfer.datasets.layout;
