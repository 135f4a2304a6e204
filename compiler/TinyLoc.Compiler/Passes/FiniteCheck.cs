using System.Collections.Generic;
using System.Globalization;
using System.Reflection;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Passes;

/// <summary>
/// Every float constant of a float graph (weights, biases, tables, scalars of each node's parameters) is finite.
/// A NaN or infinity would compile to code that does not compute what PyTorch computes (the dynamic int8 path
/// turns it into finite numbers; a float literal cannot even be written), so it is an error (TL1205), not a crash.
/// </summary>
public static class FiniteCheck
{
    /// <summary>Reports one TL1205 per node with a non-finite constant; true if there was none.</summary>
    public static bool Run(Graph graph, SourceLocation at, DiagnosticBag diagnostics)
    {
        bool ok = true;
        foreach (var node in graph.Nodes)
        {
            int count = 0;
            string? first = null, where = null;
            Scan(node.Op, node.Name, 0, ref count, ref first, ref where);
            if (count > 0)
            {
                ok = false;
                diagnostics.Report(DiagnosticDescriptors.NonFiniteTensor, at, Emit.Naming.CommentText(node.Source), node.Name, count, first!, where!);
            }
        }

        return ok;
    }

    private static void Scan(object? value, string path, int depth, ref int count, ref string? first, ref string? where)
    {
        switch (value)
        {
            case null:
                return;
            case float f:
                Check(f, path, ref count, ref first, ref where);
                return;
            case float[] a:
                for (int i = 0; i < a.Length; i++)
                {
                    Check(a[i], path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", ref count, ref first, ref where);
                }

                return;
        }

        var type = value.GetType();
        if (depth > 3 || type.IsPrimitive || type.IsEnum || value is string || type.Namespace is null || !type.Namespace.StartsWith("TinyLoc.Compiler", System.StringComparison.Ordinal))
        {
            return;
        }

        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            {
                Scan(p.GetValue(value), path + "." + p.Name, depth + 1, ref count, ref first, ref where);
            }
        }
    }

    private static void Check(float v, string path, ref int count, ref string? first, ref string? where)
    {
        if (float.IsNaN(v) || float.IsInfinity(v))
        {
            count++;
            if (first is null)
            {
                first = v.ToString(CultureInfo.InvariantCulture);
                where = path;
            }
        }
    }
}
