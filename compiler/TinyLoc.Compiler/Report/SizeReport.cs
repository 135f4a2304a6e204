using System.Collections.Generic;
using System.Linq;

namespace TinyLoc.Compiler.Report;

/// <summary>One node's line in the report.</summary>
public sealed record LayerSize(string Node, string Op, string Source, string Form, long Macs, long WeightBytes, long TableBytes, long CodeBytes, int OutputBytes)
{
    /// <summary>Where the node runs and why (<see cref="IR.Node.Schedule"/>): in a time-fused loop, or over the whole window; "-" without a time axis.</summary>
    public string Schedule { get; init; } = "-";

    public long FlashBytes => WeightBytes + TableBytes + CodeBytes;
}

/// <summary>A checkpoint tensor the compiled model does not contain.</summary>
public sealed record DroppedTensor(string Name, long Parameters);

/// <summary>A named RAM buffer (for "the biggest buffers" in budget errors).</summary>
public sealed record BufferSize(string Name, long Bytes);

/// <summary>
/// RAM and flash of the generated code, computed once here and reported everywhere (markdown, JSON,
/// the generated macros and constants, budget checks). RAM = arena + state + scratch + caller I/O +
/// stack estimate + the runtime's state; flash = weights + other tables + code estimate + the runtime.
/// With the runtime, the caller's I/O is the window and outputs inside its <c>NAME_runtime</c>.
/// </summary>
public sealed record SizeReport(
    string Model,
    string Scheme,
    string Unroll,
    string Hash,
    int ArenaBytes,
    int ArenaLowerBound,
    int StateBytes,
    int ScratchBytes,
    int InputBytes,
    int OutputBytes,
    int StackBytes,
    long WeightBytes,
    long TableBytes,
    long CodeBytes,
    IReadOnlyList<LayerSize> Layers)
{
    /// <summary>Checkpoint tensors dropped because the model never reads them (name, parameter count).</summary>
    public IReadOnlyList<DroppedTensor> Dropped { get; init; } = System.Array.Empty<DroppedTensor>();

    /// <summary>Every linear layer's flash under each scheme (looped form), whichever scheme was compiled.</summary>
    public IReadOnlyList<LayerSchemes> Schemes { get; init; } = System.Array.Empty<LayerSchemes>();

    /// <summary>The flash of the same model with every layer looped: what unrolling costs is <see cref="FlashBytes"/> minus this.</summary>
    public long LoopedFlashBytes { get; init; }

    /// <summary>The core the code estimate is for (<c>--core</c>).</summary>
    public string Core { get; init; } = "cortex-m4";

    /// <summary>The toolchain, flags and core the code constants were fitted to.</summary>
    public string CoreFittedTo { get; init; } = string.Empty;

    /// <summary>The time-fused loops of the emitted graph (<see cref="IR.Graph.Loops"/>).</summary>
    public int TimeLoops { get; init; }

    /// <summary>The layers compiled unrolled.</summary>
    public int UnrolledLayers => Layers.Count(l => l.Form == "unrolled");

    /// <summary>RAM the runtime keeps besides the window and outputs (<see cref="RuntimeSize"/>); 0 without the runtime.</summary>
    public int RuntimeStateBytes { get; init; }

    /// <summary>Flash of the runtime: its code, the model's beacon table and descriptor; 0 without the runtime.</summary>
    public long RuntimeFlashBytes { get; init; }

    public long RamBytes => ArenaBytes + StateBytes + ScratchBytes + InputBytes + OutputBytes + StackBytes + RuntimeStateBytes;

    /// <summary>The model's own flash: weights, tables and code (what <c>NAME.c</c> and the library code it calls take).</summary>
    public long ModelFlashBytes => WeightBytes + TableBytes + CodeBytes;

    public long FlashBytes => ModelFlashBytes + RuntimeFlashBytes;

    public long Macs => Layers.Sum(l => l.Macs);

    /// <summary>Everything that takes RAM, biggest first (ties by name).</summary>
    public IEnumerable<BufferSize> RamItems(IEnumerable<BufferSize> arenaBuffers) =>
        arenaBuffers
            .Append(new BufferSize("scratch", ScratchBytes))
            .Append(new BufferSize("input (caller's)", InputBytes))
            .Append(new BufferSize("output (caller's)", OutputBytes))
            .Append(new BufferSize("stack (estimate)", StackBytes))
            .Append(new BufferSize("runtime state", RuntimeStateBytes))
            .Where(b => b.Bytes > 0)
            .OrderByDescending(b => b.Bytes)
            .ThenBy(b => b.Name, System.StringComparer.Ordinal);

    /// <summary>Everything that takes flash, biggest first.</summary>
    public IEnumerable<BufferSize> FlashItems() =>
        Layers.Select(l => new BufferSize($"{l.Node} ({l.Form})", l.FlashBytes)).Append(new BufferSize("runtime", RuntimeFlashBytes)).Where(b => b.Bytes > 0)
            .OrderByDescending(b => b.Bytes).ThenBy(b => b.Name, System.StringComparer.Ordinal);
}
