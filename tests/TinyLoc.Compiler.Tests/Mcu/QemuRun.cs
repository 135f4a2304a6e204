using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Tests.Harness;

namespace TinyLoc.Compiler.Tests.Mcu;

/// <summary>What a program printed under QEMU and, when counted, how many instructions each window took.</summary>
/// <param name="Result">The outputs (and classes) the driver printed, bit for bit.</param>
/// <param name="Windows">Instructions per counting window (empty unless counted): window 0 is the
/// markers alone, window i + 1 the predict call on input i.</param>
public sealed record QemuRun(CRunResult Result, IReadOnlyList<long> Windows)
{
    /// <summary>The markers' own cost (window 0), subtracted from every inference.</summary>
    public long MarkerOverhead => Windows.Count > 0 ? Windows[0] : 0;

    /// <summary>Instructions per inference: each predict window minus the markers' cost.</summary>
    public IReadOnlyList<long> PerInference => Windows.Skip(1).Select(w => w - MarkerOverhead).ToList();
}
