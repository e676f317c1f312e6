/**
 * The service's Kafka side: the consumer loops and readers ({@link io.grokstream.analysis.consume.AnalysisLoops}),
 * the state they fold from the topics (task catalog, measures ledger, phase book, open gaps), and the worker that
 * turns snapshot records into published measures.
 */
package io.grokstream.analysis.consume;
