namespace TinyLoc.Compiler.Ops;

/// <summary>
/// The parameters of <see cref="RmsNorm"/> and <see cref="LayerNorm"/>: normalise each row of
/// <c>Features</c> values, <c>Eps</c> inside the square root, an element-wise <c>Weight</c> and (LayerNorm) a
/// <c>Bias</c>; RMSNorm has none (null).
/// </summary>
public sealed record NormParams(int Features, float Eps, float[] Weight, float[]? Bias);
