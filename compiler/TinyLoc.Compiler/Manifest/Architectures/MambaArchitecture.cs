using TinyLoc.Compiler.Json;

namespace TinyLoc.Compiler.Manifest;

/// <summary><c>mamba</c>: the model width, the number of layers, and each mixer's state size, convolution width and expansion.</summary>
public sealed record MambaArchitecture(int DModel, int NLayers = 1, int DState = 16, int DConv = 4, int Expand = 2, bool Crf = false) : ArchitectureSpec(Crf)
{
    /// <summary>Reads <c>{"d_model": 8, "n_layers": 1, "d_state": 16, "d_conv": 4, "expand": 2, "crf": true}</c>.</summary>
    public static ArchitectureSpec Read(ManifestReader r, JsonNode o)
    {
        r.Known(o, "architecture", "d_model", "n_layers", "d_state", "d_conv", "expand", "crf");
        return new MambaArchitecture(
            r.PositiveInt(r.Required(o, "d_model", JsonKind.Number, "architecture."), "architecture.d_model"),
            r.Int(o, "n_layers", 1, 1),
            r.Int(o, "d_state", 16, 1),
            r.Int(o, "d_conv", 4, 1),
            r.Int(o, "expand", 2, 1),
            r.Optional(o, "crf", JsonKind.Bool)?.Bool ?? false);
    }
}
