using System.Collections.Generic;
using TinyLoc.Compiler.Json;

namespace TinyLoc.Compiler.Manifest;

/// <summary><c>mlp</c>: the Linear layers by state-dict prefix, in order, and the hidden layers' activation.</summary>
public sealed record MlpArchitecture(IReadOnlyList<string> Layers, string Activation) : ArchitectureSpec(Crf: false)
{
    /// <summary>Reads <c>{"layers": ["fc1", …], "activation": "relu"}</c>.</summary>
    public static ArchitectureSpec Read(ManifestReader r, JsonNode o)
    {
        r.Known(o, "architecture", "layers", "activation");
        var layers = r.RequiredLayerPrefixes(o, "layers", "at least one Linear layer prefix, e.g. [\"fc1\", \"fc2\"]");
        return new MlpArchitecture(layers, r.Activation(o));
    }
}
