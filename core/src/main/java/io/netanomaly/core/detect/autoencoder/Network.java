package io.netanomaly.core.detect.autoencoder;

/**
 * The shape of a fully connected network and its forward and backward passes over flat arrays.
 *
 * <p>Layer {@code l} maps {@code sizes[l]} inputs to {@code sizes[l + 1]} outputs with weights
 * {@code W_l} (row-major, output × input) at {@code weights[weightOffset[l] ..]} and biases at
 * {@code biases[biasOffset[l] ..]}. Every layer but the last applies the activation; the last is
 * linear. Activations of all layers are kept in one array: layer {@code l}'s values (layer 0 the
 * input) at {@code act[unitOffset[l] ..]}.
 *
 * <p>Immutable and safe to use from several threads at once; the passes write only to arrays the
 * caller passes in.
 */
final class Network {
  final int[] sizes;
  final Autoencoder.Activation activation;
  final int[] weightOffset;
  final int[] biasOffset;
  final int[] unitOffset;
  final int weightCount;
  final int biasCount;
  final int unitCount;
  final int maxWidth;

  Network(int[] sizes, Autoencoder.Activation activation) {
    this.sizes = sizes.clone();
    this.activation = activation;
    int layers = sizes.length - 1;
    weightOffset = new int[layers];
    biasOffset = new int[layers];
    unitOffset = new int[sizes.length];
    long w = 0;
    int b = 0;
    int u = 0;
    int widest = 0;
    for (int l = 0; l < layers; l++) {
      weightOffset[l] = (int) w;
      biasOffset[l] = b;
      w += (long) sizes[l] * sizes[l + 1];
      b += sizes[l + 1];
    }
    if (w > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("network too large: " + w + " weights");
    }
    for (int l = 0; l < sizes.length; l++) {
      unitOffset[l] = u;
      u += sizes[l];
      widest = Math.max(widest, sizes[l]);
    }
    weightCount = (int) w;
    biasCount = b;
    unitCount = u;
    maxWidth = widest;
  }

  int layers() {
    return sizes.length - 1;
  }

  int inputs() {
    return sizes[0];
  }

  /**
   * Forward pass: reads the input from {@code act[0 .. inputs)} and fills the other layers; the
   * reconstruction ends up at {@code act[unitOffset[layers] ..]}.
   */
  void forward(double[] weights, double[] biases, double[] act) {
    int layers = layers();
    boolean relu = activation == Autoencoder.Activation.RELU;
    for (int l = 0; l < layers; l++) {
      int in = sizes[l];
      int outs = sizes[l + 1];
      int w = weightOffset[l];
      int inBase = unitOffset[l];
      int outBase = unitOffset[l + 1];
      int b = biasOffset[l];
      boolean hidden = l < layers - 1;
      for (int o = 0; o < outs; o++) {
        double z = biases[b + o];
        int row = w + o * in;
        for (int i = 0; i < in; i++) {
          z += weights[row + i] * act[inBase + i];
        }
        if (hidden) {
          z = relu ? Math.max(0.0, z) : StrictMath.tanh(z);
        }
        act[outBase + o] = z;
      }
    }
  }

  /**
   * Backward pass for the loss {@code scale · Σ_f (output_f − input_f)²} after {@link #forward} on
   * {@code act}: adds the gradient to {@code gradW} and {@code gradB}. {@code delta} and
   * {@code deltaPrev} are scratch arrays of at least {@link #maxWidth} entries.
   */
  void backward(double[] weights, double[] act, double scale, double[] gradW, double[] gradB, double[] delta,
      double[] deltaPrev) {
    int layers = layers();
    boolean relu = activation == Autoencoder.Activation.RELU;
    int outBase = unitOffset[layers];
    int d = sizes[layers];
    for (int f = 0; f < d; f++) {
      delta[f] = 2 * scale * (act[outBase + f] - act[f]);
    }
    for (int l = layers - 1; l >= 0; l--) {
      int in = sizes[l];
      int outs = sizes[l + 1];
      int w = weightOffset[l];
      int inBase = unitOffset[l];
      int b = biasOffset[l];
      for (int o = 0; o < outs; o++) {
        double g = delta[o];
        gradB[b + o] += g;
        int row = w + o * in;
        for (int i = 0; i < in; i++) {
          gradW[row + i] += g * act[inBase + i];
        }
      }
      if (l == 0) {
        break;
      }
      java.util.Arrays.fill(deltaPrev, 0, in, 0.0);
      for (int o = 0; o < outs; o++) {
        double g = delta[o];
        int row = w + o * in;
        for (int i = 0; i < in; i++) {
          deltaPrev[i] += weights[row + i] * g;
        }
      }
      for (int i = 0; i < in; i++) {
        double a = act[inBase + i];
        double derivative = relu ? (a > 0 ? 1.0 : 0.0) : 1 - a * a;
        delta[i] = deltaPrev[i] * derivative;
      }
    }
  }
}
