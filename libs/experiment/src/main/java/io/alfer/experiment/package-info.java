/**
 * The experiment runner: the paper's protocol (every strategy, from scratch and SimCLR pre-trained,
 * several seeds, rounds of selection and fine-tuning) on a dataset in alfer's storage.
 *
 * <ul>
 *   <li>{@code config}: profiles, the protocol (what must stay fixed within a results directory)
 *       and the plan of cells;
 *   <li>{@code data}: the dataset's catalog from the topics, its pixels from the shards, and the
 *       synthetic FER import;
 *   <li>{@code pretrain}: SimCLR once per dataset, preset and seed, cached in object storage;
 *   <li>{@code progress}: what a run reports while it goes ({@code ExperimentListener}), shared by
 *       the engine, pre-training and the services runner;
 *   <li>{@code engine}: the in-process cell runner and the runner of the whole experiment;
 *   <li>{@code services}: the same cells as campaigns of the select service;
 *   <li>{@code results}: the append-only results log and the resume state;
 *   <li>{@code report}: Table I, the gains of pre-training, PNG plots and the HTML report.
 * </ul>
 */
package io.alfer.experiment;
