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

    /// <summary>How the runtime makes rows and windows from readings (and treats answers).</summary>
    public StreamSpec Stream { get; init; } = StreamSpec.Default(Window);
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

    /// <summary>The runtime's answer is the majority of the last this many classes (1: no vote).</summary>
    public int Vote { get; init; } = 1;

    /// <summary>
    /// For x, y models: the complementary filter's weight of the model's position,
    /// p = alpha·p_model + (1 − alpha)·(p_prev + motion) (the BLE tutorial's 0.8).
    /// </summary>
    public float MotionAlpha { get; init; } = DefaultMotionAlpha;

    public const float DefaultMotionAlpha = 0.8f;

    /// <summary>The most answers in a majority vote.</summary>
    public const int MaxVote = 255;

    /// <summary>A regression with two outputs is a position (x, y): the runtime filters it with motion.</summary>
    public bool IsPosition => !IsClassification && Names.Count == 2;
}

/// <summary>The model's default quantisation: a scheme, and where calibration ranges come from.</summary>
public sealed record QuantizationSpec(
    string Scheme,
    string? CalibrationPath,
    IReadOnlyDictionary<string, (float Min, float Max)> ActivationRanges);

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

    /// <summary>The family names the manifest accepts (<see cref="Architectures"/>).</summary>
    public static string[] Families => Architectures.Families;

    public static readonly string[] Activations = { "relu", "tanh", "sigmoid", "silu" };

    public static readonly string[] Normalisations = { "minmax", "none" };
}
