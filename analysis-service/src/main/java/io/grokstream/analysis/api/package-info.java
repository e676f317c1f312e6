/**
 * The operator endpoints under {@code /admin}: replay, open gaps, and retrospective measures, with their error body.
 */
package io.grokstream.analysis.api;
