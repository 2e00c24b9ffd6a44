package io.alfer.label.consensus;

/**
 * One accepted annotation of an image.
 *
 * @param annotator who made it, qualified by vendor ({@code vendor/annotator})
 * @param label class index in the dataset's taxonomy
 * @param confidence the annotator's confidence in [0, 1] (0 when not given)
 */
public record Vote(String annotator, int label, float confidence) {}
