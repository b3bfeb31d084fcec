/** Throughput benchmarks of the detectors, run by the {@code bench} command. */
package io.netanomaly.core.detect.bench;
