/**
 * The progress measures of one snapshot ({@link io.grokstream.analysis.measure.SnapshotAnalyzer}, with the neuron
 * heatmaps and the residue grid) and the phase rules over an experiment's stream
 * ({@link io.grokstream.analysis.measure.PhaseTracker}). Plain computation: no Kafka, no CDI.
 */
package io.grokstream.analysis.measure;
