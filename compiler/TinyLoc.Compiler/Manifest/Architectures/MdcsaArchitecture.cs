using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Json;

namespace TinyLoc.Compiler.Manifest;

/// <summary><c>mdcsa</c>: the hidden size, the branches' kernel sizes, and the merge convolution.</summary>
public sealed record MdcsaArchitecture(int Hidden, IReadOnlyList<int> Kernels, int MergeKernel = 3, int MergeStride = 3, int MergePadding = 0, bool Crf = false) : ArchitectureSpec(Crf)
{
    /// <summary>Reads <c>{"hidden": 16, "kernels": [1, 4, 7], "merge": {"kernel": 3, "stride": 3, "padding": 0}, "crf": true}</c>.</summary>
    public static ArchitectureSpec Read(ManifestReader r, JsonNode o)
    {
        r.Known(o, "architecture", "hidden", "kernels", "merge", "crf");
        var hidden = r.Required(o, "hidden", JsonKind.Number, "architecture.");
        int h = r.PositiveInt(hidden, "architecture.hidden");
        if (h % 2 != 0)
        {
            throw r.Invalid(hidden, "architecture.hidden", h, "an even hidden size (MDCSA's positional table pairs sin and cos)");
        }

        var kernelsNode = r.Optional(o, "kernels", JsonKind.Array);
        var kernels = kernelsNode is null ? new List<int> { 1 } : kernelsNode.Items.Select((n, i) => r.PositiveInt(r.Expect(n, JsonKind.Number, $"architecture.kernels[{i}]"), $"architecture.kernels[{i}]")).ToList();
        if (kernels.Count == 0 || kernels.Distinct().Count() != kernels.Count)
        {
            throw r.Invalid(kernelsNode!, "architecture.kernels", "[" + string.Join(", ", kernels) + "]", "distinct branch kernel sizes, e.g. [1] (L1) or [1, 4, 7] (L3)");
        }

        var spec = new MdcsaArchitecture(h, kernels, Crf: r.Optional(o, "crf", JsonKind.Bool)?.Bool ?? false);
        var merge = r.Optional(o, "merge", JsonKind.Object);
        if (merge is not null)
        {
            r.Known(merge, "architecture.merge", "kernel", "stride", "padding");
            spec = spec with { MergeKernel = r.Int(merge, "kernel", 3, 1), MergeStride = r.Int(merge, "stride", 3, 1), MergePadding = r.Int(merge, "padding", 0, 0) };
        }

        return spec;
    }
}
