using System;
using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Json;

namespace TinyLoc.Compiler.Manifest;

/// <summary>
/// Every model family's manifest part: its name in <c>"family"</c> and the reader of its <c>"architecture"</c>
/// object. A new family is its fields and parser here (one file in <c>Manifest/Architectures/</c> and one line
/// below) and its graph builder in <c>Families/</c> (one file and one line in <c>FamilyRegistry</c>).
/// </summary>
public static class Architectures
{
    /// <summary>The families, in the order diagnostics list them.</summary>
    public static IReadOnlyList<(string Family, Type Spec, Func<ManifestReader, JsonNode, ArchitectureSpec> Read)> All { get; } = new (string, Type, Func<ManifestReader, JsonNode, ArchitectureSpec>)[]
    {
        ("mlp", typeof(MlpArchitecture), MlpArchitecture.Read),
        ("cnn1d", typeof(Cnn1dArchitecture), Cnn1dArchitecture.Read),
        ("mamba", typeof(MambaArchitecture), MambaArchitecture.Read),
        ("mdcsa", typeof(MdcsaArchitecture), MdcsaArchitecture.Read),
        ("onnx", typeof(OnnxArchitecture), OnnxArchitecture.Read),
    };

    /// <summary>The family names the manifest accepts.</summary>
    public static string[] Families { get; } = All.Select(a => a.Family).ToArray();

    /// <summary>The reader of family <paramref name="family"/>'s architecture, or null for an unknown family.</summary>
    public static Func<ManifestReader, JsonNode, ArchitectureSpec>? Reader(string family) => All.FirstOrDefault(a => a.Family == family).Read;

    /// <summary>The family name of an architecture record type.</summary>
    public static string NameOf(Type spec) => All.First(a => a.Spec == spec).Family;
}
