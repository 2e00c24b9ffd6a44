/**
 * Zip, tar and tar.gz walking with limits on entries and bytes and refusal of escaping paths. Entry
 * point: {@link io.alfer.datasets.archive.Archive}.
 */
package io.alfer.datasets.archive;
