/**
 * One run of a snapshot's network over every input of its task, giving the activations the measures read: the plain
 * batched Java pass with its one-layer token tables ({@link io.grokstream.analysis.forward.JavaForward}), the ONNX
 * export run on ONNX Runtime, and the large matrix products on ONNX Runtime.
 */
package io.grokstream.analysis.forward;
