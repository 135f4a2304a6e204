using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Emit;

/// <summary>
/// What the templates need to tie a model to the runtime (runtime/): its beacon table (the manifest's
/// <c>input.features</c>, sorted the way each language's runtime searches it) and its stream settings, as the
/// template vocabulary <c>runtime.*</c> (mcu-templates/README.md).
/// </summary>
public static class RuntimeGlue
{
    /// <summary>The runtime's output kinds, in C (<c>TL_OUTPUT_*</c>) and C# (<c>OutputKinds.*</c>).</summary>
    private static readonly string[] CKinds = { "TL_OUTPUT_CLASSES", "TL_OUTPUT_PATH", "TL_OUTPUT_POSITION", "TL_OUTPUT_VALUES" };
    private static readonly string[] CSharpKinds = { "Classes", "Path", "Position", "Values" };

    /// <summary>Index into the kinds: classes, a CRF's tag path, a position (x, y), or other values.</summary>
    public static int OutputKind(Manifest.ModelManifest m) =>
        m.Output.IsClassification ? (m.OutputIsTagPath ? 1 : 0) : (m.Output.IsPosition ? 2 : 3);

    /// <summary>The raw value the runtime writes for "not received": the manifest's missing code, else the range's minimum.</summary>
    public static float Missing(Manifest.ModelManifest m) => m.Input.MissingValue ?? m.Input.RssiMin;

    public static Dictionary<string, object?> Vocabulary(Compilation c, bool isC)
    {
        var m = c.Manifest!;
        var s = m.Input.Stream;
        var r = c.Report!;
        int kind = OutputKind(m);
        // C searches byte by byte (UTF-8), C# by UTF-16 code unit: each gets the order its search expects.
        var order = Enumerable.Range(0, m.Input.Features.Count).ToList();
        Comparison<int> compare = isC
            ? (a, b) => CompareUtf8(m.Input.Features[a], m.Input.Features[b])
            : (a, b) => string.CompareOrdinal(m.Input.Features[a], m.Input.Features[b]);
        order.Sort(compare);
        return new Dictionary<string, object?>
        {
            ["beacons"] = order.Select(i => new Dictionary<string, object>
            {
                ["id"] = isC ? Naming.CString(m.Input.Features[i]) : Naming.CSharpString(m.Input.Features[i]),
                ["feature"] = i,
            }).ToList(),
            ["firstId"] = isC ? Naming.CommentText(m.Input.Features[0]) : Naming.DocText(m.Input.Features[0]),
            ["featureCount"] = m.Input.Features.Count,
            ["windowRows"] = m.Input.Window,
            ["hopRows"] = s.Hop,
            ["periodUs"] = s.PeriodUs,
            ["periodMs"] = Fmt.Double(s.PeriodMs),
            ["maxFillMs"] = s.MaxFillMs,
            ["fillRows"] = s.FillRows,
            ["sessionGapMs"] = s.SessionGapMs,
            ["vote"] = m.Output.Vote,
            ["alpha"] = Fmt.FloatLiteral(m.Output.MotionAlpha),
            ["missing"] = Fmt.FloatLiteral(Missing(m)),
            ["kind"] = isC ? CKinds[kind] : CSharpKinds[kind],
            ["isPosition"] = kind == 2,
            ["stateBytes"] = r.RuntimeStateBytes,
            ["flashBytes"] = r.RuntimeFlashBytes,
        };
    }

    private static int CompareUtf8(string a, string b)
    {
        byte[] x = Encoding.UTF8.GetBytes(a), y = Encoding.UTF8.GetBytes(b);
        for (int i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            if (x[i] != y[i])
            {
                return x[i] - y[i];
            }
        }

        return x.Length - y.Length;
    }
}
