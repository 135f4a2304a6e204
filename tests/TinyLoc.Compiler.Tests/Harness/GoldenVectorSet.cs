namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>The contents of a <c>NAME.golden.json</c> file.</summary>
/// <param name="Model">The model it belongs to (the <c>model</c> field).</param>
/// <param name="Torch">The PyTorch version that produced the outputs (the <c>torch</c> field), or null.</param>
/// <param name="Inputs">The input vectors.</param>
/// <param name="Outputs">PyTorch's output vector for each input.</param>
public sealed record GoldenVectorSet(string Model, string? Torch, float[][] Inputs, float[][] Outputs)
{
    /// <summary>Sequence models with a CRF: PyTorch's emissions per vector ([T'·C], row-major), or null.</summary>
    public float[][]? Emissions { get; init; }

    /// <summary>Sequence models with a CRF: PyTorch's Viterbi tag path per vector, or null.</summary>
    public int[][]? Tags { get; init; }
}
