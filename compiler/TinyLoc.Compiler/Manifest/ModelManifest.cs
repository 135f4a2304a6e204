using System.Collections.Generic;

namespace TinyLoc.Compiler.Manifest;

/// <summary>What goes into the model: raw RSSI features and how they are normalised.</summary>
public sealed record InputSpec(
    IReadOnlyList<string> Features,
    int Window,
    float RssiMin,
    float RssiMax,
    float? MissingValue,
    string Normalisation)
{
    /// <summary>Number of values the generated predict function takes (features × window).</summary>
    public int Count => Features.Count * Window;
}

/// <summary>What comes out: class labels, or named regression outputs (e.g. x/y in metres).</summary>
public sealed record OutputSpec(string Kind, IReadOnlyList<string> Labels, IReadOnlyList<string> Names, string? Unit)
{
    public bool IsClassification => Kind == "classification";

    /// <summary>
    /// With a CRF head: <c>last</c> (the default) outputs the final Viterbi scores [C], whose argmax is the last
    /// tag; <c>path</c> outputs the whole decoded tag path [T'] (tags as exact small floats).
    /// </summary>
    public string Decode { get; init; } = "last";

    public bool DecodesPath => Decode == "path";

    public int Count => IsClassification ? Labels.Count : Names.Count;
}

/// <summary>The model's default quantisation: a scheme, and where calibration ranges come from.</summary>
public sealed record QuantizationSpec(
    string Scheme,
    string? CalibrationPath,
    IReadOnlyDictionary<string, (float Min, float Max)> ActivationRanges);

/// <summary>
/// A family's hyper-parameters (manifest <c>architecture</c>). <c>mlp</c>: Linear layers by state-dict prefix
/// and one hidden activation; <c>cnn1d</c>: Conv1d prefixes (<c>conv_layers</c>, read into
/// <see cref="Layers"/>), pool size and the Linear head; <c>mamba</c>: d_model, layers, d_state, d_conv,
/// expand; <c>mdcsa</c>: hidden size, branch kernels and the merge convolution. Sequence families may
/// end in a CRF.
/// </summary>
public sealed record ArchitectureSpec(IReadOnlyList<string> Layers, string Activation)
{
    public int Pool { get; init; } = 1;

    public string Head { get; init; } = "fc";

    public int DModel { get; init; }

    public int NLayers { get; init; } = 1;

    public int DState { get; init; } = 16;

    public int DConv { get; init; } = 4;

    public int Expand { get; init; } = 2;

    public int Hidden { get; init; }

    public IReadOnlyList<int> Kernels { get; init; } = new[] { 1 };

    public int MergeKernel { get; init; } = 3;

    public int MergeStride { get; init; } = 3;

    public int MergePadding { get; init; }

    public bool Crf { get; init; }
}

/// <summary>A parsed <c>NAME.tinyloc.json</c>, version 1. Paths are absolute (resolved against the manifest).</summary>
public sealed record ModelManifest(
    string ManifestPath,
    string Name,
    string? Description,
    string CheckpointPath,
    string Family,
    ArchitectureSpec Architecture,
    InputSpec Input,
    OutputSpec Output,
    QuantizationSpec Quantization)
{
    public const int Version = 1;

    /// <summary>True when the model's output is a CRF's decoded tag path, not scores.</summary>
    public bool OutputIsTagPath => Architecture.Crf && Output.DecodesPath;

    /// <summary>
    /// The class an output stands for, exactly as the generated <c>classify</c> computes it: the last tag of a
    /// tag path, otherwise the argmax (lowest index on ties).
    /// </summary>
    public int ClassOf(float[] output)
    {
        if (OutputIsTagPath)
        {
            return (int)output[output.Length - 1];
        }

        int best = 0;
        for (int i = 1; i < output.Length; i++)
        {
            if (output[i] > output[best])
            {
                best = i;
            }
        }

        return best;
    }

    public static readonly string[] Families = { "mlp", "cnn1d", "mamba", "mdcsa" };

    public static readonly string[] Activations = { "relu", "tanh", "sigmoid", "silu" };

    public static readonly string[] Normalisations = { "minmax", "none" };
}
