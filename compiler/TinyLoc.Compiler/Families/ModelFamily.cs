using System.Collections.Generic;
using System.Linq;
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
    IReadOnlyList<CheckpointTensor> Dropped { get; }
}

/// <summary>
/// A family that builds its graph from its own architecture record <typeparamref name="TArch"/> (its fields and
/// their parsing are in <c>Manifest/Architectures/</c>); its name is that record's (<see cref="Architectures"/>).
/// </summary>
public abstract class ModelFamily<TArch> : IModelFamily
    where TArch : ArchitectureSpec
{
    public string Name => Architectures.NameOf(typeof(TArch));

    public IReadOnlyList<CheckpointTensor> Dropped { get; protected set; } = System.Array.Empty<CheckpointTensor>();

    public Graph? Build(ModelManifest manifest, StateDict weights, DiagnosticBag diagnostics) =>
        manifest.Architecture is TArch a
            ? Build(manifest, a, weights, diagnostics)
            : throw new System.InvalidOperationException($"the {Name} family was given a {manifest.Architecture.GetType().Name}");

    /// <summary>The float graph (unfused, every intermediate named), or null with diagnostics.</summary>
    protected abstract Graph? Build(ModelManifest manifest, TArch architecture, StateDict weights, DiagnosticBag diagnostics);
}

/// <summary>The graph builders of the families the compiler knows. A new family is one class plus one line here.</summary>
public static class FamilyRegistry
{
    private static readonly System.Func<IModelFamily>[] Factories =
    {
        () => new MlpFamily(),
        () => new Cnn1dFamily(),
        () => new MambaFamily(),
        () => new MdcsaFamily(),
        () => new OnnxFamily(),
    };

    /// <summary>A new builder for family <paramref name="name"/>, or null.</summary>
    public static IModelFamily? Find(string name) => Factories.Select(f => f()).FirstOrDefault(f => f.Name == name);
}
