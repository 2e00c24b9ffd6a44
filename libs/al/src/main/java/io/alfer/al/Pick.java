package io.alfer.al;

/**
 * One selected pool item.
 *
 * @param id the item's id
 * @param row its row in the pool's matrices
 * @param score the strategy's score for it (its meaning is documented on each strategy)
 */
public record Pick(String id, int row, double score) {}
