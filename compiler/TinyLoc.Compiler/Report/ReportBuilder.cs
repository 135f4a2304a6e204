using System.Collections.Generic;
using System.Linq;
using System.Text;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Manifest;
using TinyLoc.Compiler.Memory;
using TinyLoc.Compiler.Ops;

namespace TinyLoc.Compiler.Report;

/// <summary>
/// The size report's arithmetic, in one place: each node's cost on the core, the helpers and library code the
/// graph pulls in, the labels, the stack estimate and the scratch buffers (sized by the ops). The compilation only
/// hands over what it built.
/// </summary>
public static class ReportBuilder
{
    /// <summary>
    /// Bytes of RAM the model keeps between calls. Every op today computes each call from its input alone (the
    /// runtime's own state is <see cref="SizeReport.RuntimeStateBytes"/>).
    /// </summary>
    public const int StateBytes = 0;

    /// <summary>Flash that does not depend on the layers' forms: the predict function's own code and the class labels.</summary>
    public static long FixedFlashBytes(ModelManifest manifest, CostModel core) => core.HelperCodeBytes + LabelBytes(manifest);

    /// <summary>The report of <paramref name="graph"/> (the emitted graph) and its plan; <paramref name="fused"/> for the per-scheme table.</summary>
    public static SizeReport Build(ModelManifest manifest, string scheme, string unroll, string hash, Graph graph, MemoryPlan plan, Graph fused, CostModel core, IReadOnlyList<DroppedTensor> dropped, bool runtime)
    {
        var layers = graph.Nodes.Select((n, i) =>
        {
            var cost = n.Op.Cost(n, graph, core);
            long macs = graph.LoopOf(i) is { } loop ? n.Op.LoopMacs(n, graph, core, loop.Steps) : cost.Macs;
            return new LayerSize(n.Name, n.Op.Name, n.Source, n.Op.CanUnroll ? n.Form.ToString().ToLowerInvariant() : "-", macs, cost.WeightBytes, cost.TableBytes, cost.CodeBytes, graph[n.Output].Bytes)
            {
                Schedule = n.Schedule.Length > 0 ? n.Schedule : "-",
            };
        }).ToList();
        var helpers = CodeEmitter.HelpersUsed(graph, plan, manifest.Name).ToList();
        long helperBytes = helpers.Sum(h => (long)core.HelperFunctionBytes(h)) + core.LibraryBytes(graph, helpers);
        return new SizeReport(
            manifest.Name,
            scheme,
            unroll,
            hash,
            plan.ArenaBytes,
            plan.LowerBound,
            StateBytes,
            ScratchBuffers.Bytes(graph),
            graph[graph.Input].Bytes,
            graph[graph.Output].Bytes,
            StackBytes(graph, manifest, core),
            layers.Sum(l => l.WeightBytes),
            layers.Sum(l => l.TableBytes) + LabelBytes(manifest),
            layers.Sum(l => l.CodeBytes) + core.HelperCodeBytes + helperBytes,
            layers)
        {
            Dropped = dropped,
            Schemes = SchemeComparison.Of(fused, core),
            LoopedFlashBytes = FixedFlashBytes(manifest, core) + helperBytes + graph.Nodes.Sum(n => n.Op.Cost(n.Op.CanUnroll ? n with { Form = LayerForm.Looped } : n, graph, core).FlashBytes),
            TimeLoops = graph.Loops.Count,
            Core = core.Core,
            CoreFittedTo = core.FittedTo,
            RuntimeStateBytes = runtime ? RuntimeSize.StateBytes(manifest, graph[graph.Input].Elements, graph[graph.Output].Elements) : 0,
            RuntimeFlashBytes = runtime ? RuntimeSize.FlashBytes(manifest, core) : 0,
        };
    }

    /// <summary>
    /// The stack estimate: the predict call's frame on the core, 32 B more when the exp helper runs (its frame under
    /// predict's), more when a wide int8 layer's six-row kernel spills (<see cref="CostModel.WideInt8StackBytes"/>), and
    /// the scores array classify keeps on the stack.
    /// </summary>
    private static int StackBytes(Graph graph, ModelManifest manifest, CostModel core) =>
        core.PredictStackBytes + (graph.Nodes.Any(n => n.Op.AppliedActivation.UsesExp()) ? 32 : 0)
        + (core.Dsp && graph.Nodes.Any(n => n.Form == LayerForm.Wide) ? core.WideInt8StackBytes : 0)
        + (manifest.Output.IsClassification ? graph[graph.Output].Bytes : 0);

    /// <summary>Label strings with terminators plus one pointer each.</summary>
    private static long LabelBytes(ModelManifest m) => m.Output.Labels.Sum(l => Encoding.UTF8.GetByteCount(l) + 1 + 4);
}
