using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Import;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Manifest;

namespace TinyLoc.Compiler.Families;

/// <summary>Builds the float graph of one architecture family from a manifest and a state dict.</summary>
public interface IModelFamily
{
    string Name { get; }

    /// <summary>The float graph (unfused, every intermediate named), or null with diagnostics.</summary>
    Graph? Build(ModelManifest manifest, StateDict weights, DiagnosticBag diagnostics);

    /// <summary>After <see cref="Build"/>: checkpoint tensors the model never reads, dropped on purpose (listed in the report).</summary>
    System.Collections.Generic.IReadOnlyList<CheckpointTensor> Dropped { get; }
}

/// <summary>The families the compiler knows. A new family is one class plus one line here.</summary>
public static class FamilyRegistry
{
    public static IModelFamily? Find(string name) => name switch
    {
        "mlp" => new MlpFamily(),
        "cnn1d" => new Cnn1dFamily(),
        "mamba" => new MambaFamily(),
        "mdcsa" => new MdcsaFamily(),
        _ => null,
    };
}
