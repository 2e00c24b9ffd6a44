/**
 * Datasets for alfer, in plain Java: taxonomies ({@link io.alfer.datasets.ClassTaxonomy}), image
 * normalisation ({@code image}), safe archive walking ({@code archive}), layout readers for
 * FER2013, RAF-DB, KDEF and image folders ({@code layout}) and a synthetic FER generator ({@code
 * synthetic}). Upload-level refusals are {@link io.alfer.datasets.DatasetRejectedException}s.
 */
package io.alfer.datasets;
