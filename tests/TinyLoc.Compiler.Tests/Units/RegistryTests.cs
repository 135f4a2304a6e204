using System;
using System.Linq;
using TinyLoc.Compiler.Families;
using TinyLoc.Compiler.Manifest;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Quantization;
using Xunit;

namespace TinyLoc.Compiler.Tests.Units;

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
        Assert.Equal(Concrete<Op>(), OpRegistry.All.Select(o => o.GetType()).OrderBy(t => t.Name, StringComparer.Ordinal).ToArray());
        Assert.Equal(OpRegistry.All.Count, OpRegistry.All.Select(o => o.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(OpRegistry.All, o => Assert.Same(o, OpRegistry.Find(o.Name)));
    }

    [Fact]
    public void EverySchemeIsRegisteredOnceUnderItsOwnName()
    {
        Assert.Equal(Concrete<IQuantizationScheme>(), SchemeRegistry.All.Select(s => s.GetType()).OrderBy(t => t.Name, StringComparer.Ordinal).ToArray());
        Assert.Equal(SchemeRegistry.All.Count, SchemeRegistry.All.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(SchemeRegistry.All, s => Assert.Same(s, SchemeRegistry.Find(s.Name)));
    }

    [Fact]
    public void EveryFamilyIsRegisteredUnderTheNameTheManifestAccepts()
    {
        var found = ModelManifest.Families.Select(n => (n, f: FamilyRegistry.Find(n))).ToList();
        Assert.All(found, x => Assert.Equal(x.n, x.f?.Name));
        Assert.Equal(Concrete<IModelFamily>(), found.Select(x => x.f!.GetType()).OrderBy(t => t.Name, StringComparer.Ordinal).ToArray());
    }
}
