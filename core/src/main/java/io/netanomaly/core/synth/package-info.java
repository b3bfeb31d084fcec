/**
 * The built-in traffic simulator: an endless, deterministic stream of labelled flows with a
 * realistic service mix and daily rhythm, and ten attack scenarios injected as episodes
 * ({@link io.netanomaly.core.synth.TrafficSimulator}, {@link io.netanomaly.core.synth.Scenario}).
 */
package io.netanomaly.core.synth;
