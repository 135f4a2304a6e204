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

    public int Count => IsClassification ? Labels.Count : Names.Count;
}

/// <summary>The model's default quantisation: a scheme, and where calibration ranges come from.</summary>
public sealed record QuantizationSpec(
    string Scheme,
    string? CalibrationPath,
    IReadOnlyDictionary<string, (float Min, float Max)> ActivationRanges);

/// <summary>The MLP family's architecture: Linear layers by state-dict prefix, one hidden activation.</summary>
public sealed record ArchitectureSpec(IReadOnlyList<string> Layers, string Activation);

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

    public static readonly string[] Families = { "mlp" };

    public static readonly string[] Activations = { "relu", "tanh", "sigmoid", "silu" };

    public static readonly string[] Normalisations = { "minmax", "none" };
}
