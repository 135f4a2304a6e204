namespace TinyLoc.Compiler.Ops;

/// <summary>
/// A float layer whose output channels can take a constant scale and shift into its weights and bias: a linear
/// layer, a convolution. The ONNX importer folds a BatchNormalization, or an Add, Sub, Mul or Div by a per-channel
/// constant, into the layer before it this way.
/// </summary>
public interface IAbsorbsAffine
{
    /// <summary>Output channels: the last dimension of the output.</summary>
    int Channels { get; }

    /// <summary>The same layer computing <c>y[c] · scale[c] + shift[c]</c> (weights and bias scaled, then the shift added to the bias).</summary>
    Op Absorb(float[] scale, float[] shift);
}
