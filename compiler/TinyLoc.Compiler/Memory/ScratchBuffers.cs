using System.Linq;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Memory;

/// <summary>
/// The two shared scratch buffers of the generated code, outside the arena: an int8 one (dynamic input
/// quantisation, CRF back-pointers) and a float32 one (selective-scan state, CRF scores). Every node uses
/// them from element 0 and leaves nothing in them for the next node, so each is as big as the largest
/// need of any node, and the report's scratch is the sum of the two.
/// </summary>
public static class ScratchBuffers
{
    /// <summary>Bytes of the int8 scratch: the largest <see cref="Ops.Op.ScratchBytes(Node, Graph)"/>.</summary>
    public static int I8Bytes(Graph graph) => graph.Nodes.Select(n => n.Op.ScratchBytes(n, graph)).DefaultIfEmpty(0).Max();

    /// <summary>Bytes of the float32 scratch: the largest <see cref="Ops.Op.ScratchF32Bytes"/>.</summary>
    public static int F32Bytes(Graph graph) => graph.Nodes.Select(n => n.Op.ScratchF32Bytes(n, graph)).DefaultIfEmpty(0).Max();

    /// <summary>Both buffers: the size report's scratch and the generated <c>SCRATCH_BYTES</c>.</summary>
    public static int Bytes(Graph graph) => I8Bytes(graph) + F32Bytes(graph);
}
