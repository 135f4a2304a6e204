using System.Collections.Generic;
using TinyLoc.Compiler.Json;

namespace TinyLoc.Compiler.Manifest;

/// <summary><c>cnn1d</c>: the Conv1d layers by state-dict prefix (<c>conv_layers</c>), their activation, the max-pool size after each, and the Linear head.</summary>
public sealed record Cnn1dArchitecture(IReadOnlyList<string> Layers, string Activation, int Pool, string Head) : ArchitectureSpec(Crf: false)
{
    /// <summary>Reads <c>{"conv_layers": ["conv1", …], "pool": 2, "activation": "relu", "head": "fc"}</c>.</summary>
    public static ArchitectureSpec Read(ManifestReader r, JsonNode o)
    {
        r.Known(o, "architecture", "conv_layers", "pool", "activation", "head");
        var layers = r.RequiredLayerPrefixes(o, "conv_layers", "at least one Conv1d prefix, e.g. [\"conv1\", \"conv2\"]");
        return new Cnn1dArchitecture(layers, r.Activation(o), r.Int(o, "pool", 1, 1), r.Optional(o, "head", JsonKind.String)?.String ?? "fc");
    }
}
