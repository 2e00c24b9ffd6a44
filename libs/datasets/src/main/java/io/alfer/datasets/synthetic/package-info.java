/**
 * A seeded generator of FER2013-like faces for demos and tests. Entry point: {@link
 * io.alfer.datasets.synthetic.SyntheticFer}.
 */
package io.alfer.datasets.synthetic;
