using System;
using System.Collections.Generic;
using TinyLoc.Compiler.IR;

namespace TinyLoc.Compiler.Evaluation;

/// <summary>
/// The reference evaluator: runs a graph node by node with exactly the arithmetic the emitted code
/// uses (each op's <c>Evaluate</c>), so emitted C and C# must match it bit for bit. It also records
/// every tensor's float range for calibration.
/// </summary>
public sealed class Evaluator
{
    private readonly Dictionary<string, Array> _buffers = new(StringComparer.Ordinal);

    public Evaluator(Graph graph) => Graph = graph;

    public Graph Graph { get; }

    /// <summary>Called after each node with the node and its output (float outputs only); used by calibration.</summary>
    public Action<Node, float[]>? OnFloatOutput { get; set; }

    public float[] Run(float[] input)
    {
        var inVal = Graph[Graph.Input];
        if (input.Length != inVal.Elements)
        {
            throw new ArgumentException($"the model takes {inVal.Elements} inputs, got {input.Length}");
        }

        _buffers.Clear();
        _buffers[Graph.Input] = input;
        for (int i = 0; i < Graph.Nodes.Count;)
        {
            if (Graph.LoopOf(i) is { } loop)
            {
                // A time-fused loop: its carries start at zero, then its nodes run once per step.
                foreach (string carry in loop.Carries)
                {
                    System.Array.Clear(F32(carry), 0, Graph[carry].Elements);
                }

                for (Step = 0; Step < loop.Steps; Step++)
                {
                    for (int j = loop.First; j <= loop.Last; j++)
                    {
                        Run(Graph.Nodes[j]);
                    }
                }

                Step = 0;
                i = loop.Last + 1;
                continue;
            }

            Run(Graph.Nodes[i++]);
        }

        return (float[])((float[])_buffers[Graph.Output]).Clone();
    }

    /// <summary>The time step a <see cref="StepLoop"/> is at (0 outside loops).</summary>
    public int Step { get; private set; }

    private void Run(Node node)
    {
        node.Op.Evaluate(node, this);
        if (OnFloatOutput is not null && _buffers[node.Output] is float[] f)
        {
            OnFloatOutput(node, f);
        }
    }

    public float[] F32(string name) => (float[])Get(name, DType.Float32);

    public sbyte[] I8(string name) => (sbyte[])Get(name, DType.Int8);

    private Array Get(string name, DType type)
    {
        if (!_buffers.TryGetValue(name, out var a))
        {
            int n = Graph[name].Elements;
            a = type == DType.Int8 ? new sbyte[n] : new float[n];
            _buffers[name] = a;
        }

        return a;
    }
}
