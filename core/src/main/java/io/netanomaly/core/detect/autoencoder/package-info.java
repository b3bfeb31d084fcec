/**
 * The in-house autoencoder detector: a small fully connected network trained with Adam and early
 * stopping, scoring rows by reconstruction error; deterministic for a seed with any number of
 * threads. Entry point: {@link io.netanomaly.core.detect.autoencoder.Autoencoder}.
 */
package io.netanomaly.core.detect.autoencoder;
