using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Ops;

namespace TinyLoc.Compiler.Quantization;

/// <summary>Turns the fused float graph into the graph that is emitted, using calibrated ranges where it needs them.</summary>
public interface IQuantizationScheme
{
    string Name { get; }

    string Summary { get; }

    /// <summary>The rewritten graph, or null with diagnostics. <paramref name="ranges"/> are keyed by value name.</summary>
    Graph? Apply(Graph fused, IReadOnlyDictionary<string, (float Min, float Max)> ranges, DiagnosticBag diagnostics, SourceLocation location);

    /// <summary>
    /// What this scheme makes of one linear layer on its own, for comparing flash per layer (the report's scheme
    /// table; only the weights need be right), or null for a scheme that decides per graph (<c>auto</c>).
    /// </summary>
    Op? LayerAlone(Linear layer);
}

/// <summary>The schemes the compiler knows. A new scheme is one class plus one line here.</summary>
public static class SchemeRegistry
{
    public static IReadOnlyList<IQuantizationScheme> All { get; } = new IQuantizationScheme[] { new NoneScheme(), new StaticScheme(), new DynamicScheme(), new LlmInt8Scheme(), new AutoScheme() };

    public static IQuantizationScheme? Find(string name) => All.FirstOrDefault(s => s.Name == name);

    public static string Names => string.Join(", ", All.Select(s => s.Name));
}

/// <summary><c>none</c>: float32 throughout; the graph is emitted as it is.</summary>
public sealed class NoneScheme : IQuantizationScheme
{
    public string Name => "none";

    public string Summary => "float32 weights and activations";

    public Graph? Apply(Graph fused, IReadOnlyDictionary<string, (float Min, float Max)> ranges, DiagnosticBag diagnostics, SourceLocation location) => fused;

    public Op? LayerAlone(Linear layer) => layer;
}
