using System;
using System.Collections.Generic;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Emit;

/// <summary>
/// Names of the generated tables and split-off functions, from the state-dict prefix each node came from (not its
/// position in the graph, so adding a node renames nothing else): <c>layers_0_mixer_in_proj_w</c> in C (behind the
/// model's prefix), <c>Layers0MixerInProjW</c> in C#. Text from the model file goes through
/// <see cref="Naming.Identifier"/>; a name already taken (two nodes from one prefix, or a fixed name of the
/// generated file) gets a number.
/// </summary>
public sealed class SymbolNames
{
    /// <summary>C names (after the model prefix) the generated file defines itself.</summary>
    private static readonly string[] FixedC = { "arena", "scratch", "scratch_f32", "scratch_zp", "scratch_scale", "predict", "classify", "labels", "model", "beacons", "runtime", "runtime_init" };

    private readonly Dialect _d;
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Node, string What), string> _given = new();

    public SymbolNames(Dialect d)
    {
        _d = d;
        foreach (string n in d.IsC ? FixedC : Naming.CSharpMembers)
        {
            _taken.Add(n);
        }

        foreach (Helper h in Enum.GetValues(typeof(Helper)))
        {
            _taken.Add(Helpers.Name(h, d));
        }
    }

    /// <summary>The name of the node's table <paramref name="what"/> (<c>w</c>, <c>b</c>, <c>rowsum</c>, …); the same for the same node and what.</summary>
    public string Of(Node node, string what)
    {
        if (_given.TryGetValue((node.Name, what), out string? name))
        {
            return name;
        }

        string stem = Naming.Identifier(node.Source) + "_" + what;
        name = Naming.FirstFree(_taken, _d.IsC ? stem : CodeEmitter.PascalCase(stem), _d);
        _given[(node.Name, what)] = name;
        return name;
    }
}
