using System;
using System.Linq;
using System.Text.RegularExpressions;
using TinyLoc.Compiler.Families;
using TinyLoc.Compiler.Manifest;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Quantization;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Compiler.Tests.Architecture;

/// <summary>
/// "A new op, scheme or family is its own file plus one registry line" is true: every concrete type of each
/// kind is in its registry exactly once, under a name no other entry has, and the registry finds it by that name.
/// </summary>
public sealed class RegistryTests
{
    private static Type[] Concrete<T>() =>
        typeof(Op).Assembly.GetTypes().Where(t => typeof(T).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface).OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();

    [Fact]
    public void EveryOpIsRegisteredOnceUnderItsOwnName()
    {
        Assert.Equal(Concrete<Op>(), OpRegistry.All.OrderBy(t => t.Name, StringComparer.Ordinal).ToArray());
        var names = OpRegistry.All.Select(OpRegistry.NameOf).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(OpRegistry.All, t => Assert.Same(t, OpRegistry.Find(OpRegistry.NameOf(t))));
        Assert.Equal("linear", new Linear(1, 1, new float[1], new float[1], Activation.None).Name);
    }

    /// <summary>
    /// Passes and schemes ask an op what it can do (<see cref="DenseOp"/>, <see cref="IFusesActivation"/>, its
    /// virtual members) and dispatch on its concrete type only through <see cref="Passes.GraphRewriter"/>: no other
    /// file of the compiler tests for a registered op type.
    /// </summary>
    [Fact]
    public void OnlyTheRewriterDispatchesOnAConcreteOpType()
    {
        string root = System.IO.Path.Combine(RepoPaths.RepoRoot, "compiler", "TinyLoc.Compiler");
        string types = string.Join("|", OpRegistry.All.Select(t => t.Name));
        var test = new Regex($@"\b(is|as|case|OfType<)\s*({types})\b|\bOp:\s*({types})\b");
        var offenders = System.IO.Directory.GetFiles(root, "*.cs", System.IO.SearchOption.AllDirectories)
            .Where(f => !f.Contains(System.IO.Path.DirectorySeparatorChar + "obj" + System.IO.Path.DirectorySeparatorChar))
            .Where(f => System.IO.Path.GetFileName(f) != "GraphRewriter.cs")
            .SelectMany(f => System.IO.File.ReadAllLines(f).Select((l, i) => (f, i, l)))
            .Where(x => test.IsMatch(x.l))
            .Select(x => $"{System.IO.Path.GetRelativePath(root, x.f)}:{x.i + 1}: {x.l.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, "concrete op type tests outside GraphRewriter:\n" + string.Join("\n", offenders));
        Assert.Contains("case Linear op:", System.IO.File.ReadAllText(System.IO.Path.Combine(root, "Passes", "GraphRewriter.cs")));
    }

    [Fact]
    public void EverySchemeIsRegisteredOnceUnderItsOwnName()
    {
        Assert.Equal(Concrete<IQuantizationScheme>(), SchemeRegistry.All.Select(s => s.GetType()).OrderBy(t => t.Name, StringComparer.Ordinal).ToArray());
        Assert.Equal(SchemeRegistry.All.Count, SchemeRegistry.All.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(SchemeRegistry.All, s => Assert.Same(s, SchemeRegistry.Find(s.Name)));
    }

    [Fact]
    public void EveryArchitectureRecordIsRegisteredOnceWithAFamilyThatBuildsIt()
    {
        Assert.Equal(Concrete<ArchitectureSpec>(), Architectures.All.Select(a => a.Spec).OrderBy(t => t.Name, StringComparer.Ordinal).ToArray());
        Assert.Equal(Architectures.All.Count, Architectures.Families.Distinct(StringComparer.Ordinal).Count());
        Assert.All(Architectures.All, a => Assert.Equal(a.Family, FamilyRegistry.Find(a.Family)?.Name));
    }

    [Fact]
    public void EveryFamilyIsRegisteredUnderTheNameTheManifestAccepts()
    {
        var found = ModelManifest.Families.Select(n => (n, f: FamilyRegistry.Find(n))).ToList();
        Assert.All(found, x => Assert.Equal(x.n, x.f?.Name));
        Assert.Equal(Concrete<IModelFamily>(), found.Select(x => x.f!.GetType()).OrderBy(t => t.Name, StringComparer.Ordinal).ToArray());
    }
}
