using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Passes;
using TinyLoc.Compiler.Tests.Golden;
using Xunit;

namespace TinyLoc.Compiler.Tests.Mcu;

/// <summary>
/// The MCU test matrix and a process-wide cache of its cases, so that a program is compiled, linked and
/// first run once however many test classes look at it (the big unrolled models take seconds to compile).
/// </summary>
public static class McuCases
{
    private static readonly ConcurrentDictionary<string, McuCase> Cache = new();

    /// <summary>The schemes checked: full int8 and float32.</summary>
    public static readonly string[] Schemes = ["static", "none"];

    /// <summary>
    /// The layer forms checked: unrolled (<c>all</c>), looped (<c>none</c>) and, for the int8 scheme, wide (<c>wide</c>:
    /// looped over int16-pair weights on the DSP core; elsewhere the same file compiles to the looped code).
    /// </summary>
    public static readonly string[] Forms = ["all", "none", "wide"];

    /// <summary>The case for a model × scheme × form (× schedule) on a target, created on first use.</summary>
    /// <param name="model">A model from <see cref="GoldenModels"/>.</param>
    /// <param name="scheme"><c>static</c> or <c>none</c>.</param>
    /// <param name="unroll"><c>all</c>, <c>none</c> or <c>wide</c>.</param>
    /// <param name="target">The microcontroller.</param>
    /// <param name="schedule">The schedule: fused (the default) or layer (<c>--schedule layer</c>).</param>
    public static McuCase Get(string model, string scheme, string unroll, McuTarget target, ScheduleMode schedule = ScheduleMode.Fused) =>
        Cache.GetOrAdd($"{target.Name}/{model}/{scheme}/{unroll}/{schedule}", _ =>
            new McuCase(
                GoldenModels.Compile(model, scheme, UnrollSelection.Parse(unroll), TinyLoc.Compiler.Ops.CostModel.ByName(target.Core), schedule),
                target,
                GoldenModels.Vectors(model).Inputs,
                schedule == ScheduleMode.Fused ? $"{model}/{scheme}/{unroll}" : $"{model}/{scheme}/{unroll}/layer schedule"));

    /// <summary>The synthetic sequence models whose default schedule fuses, × none and static: the layer schedule's cases.</summary>
    public static TheoryData<string, string> LayerSchedule()
    {
        var d = new TheoryData<string, string>();
        foreach (var row in SequenceEngineParityTests.FusedModels())
        {
            d.Add((string)row[0], (string)row[1]);
        }

        return d;
    }

    /// <summary>Every model with golden vectors × scheme × form.</summary>
    public static TheoryData<string, string, string> AllModels() => Matrix(GoldenModels.All);

    /// <summary>The trained example models × scheme × form.</summary>
    public static TheoryData<string, string, string> Examples() => Matrix(GoldenModels.Examples);

    /// <summary>
    /// Every model with golden vectors (MLPs and sequence models) × every scheme × looped, and unrolled where a
    /// layer unrolls (elsewhere the unrolled program is the looped one): what the library-pull test covers.
    /// </summary>
    public static TheoryData<string, string, string> EverySchemeAndForm() => EverySchemeAndFormOf(GoldenModels.All.Concat(GoldenModels.Sequence));

    /// <summary>The trained examples (MLPs and sequence models) × every scheme × every distinct form.</summary>
    public static TheoryData<string, string, string> EveryExample() => EverySchemeAndFormOf(GoldenModels.Examples.Concat(GoldenModels.SequenceExamples));

    /// <summary>Every build the size report describes (<see cref="McuTarget.Sized"/>) × <see cref="EveryExample"/>.</summary>
    public static TheoryData<string, string, string, string> EveryExampleOnEveryCore()
    {
        var d = new TheoryData<string, string, string, string>();
        foreach (var t in McuTarget.Sized)
        {
            foreach (var row in EveryExample())
            {
                d.Add(t.Name, (string)row[0], (string)row[1], (string)row[2]);
            }
        }

        return d;
    }

    private static TheoryData<string, string, string> EverySchemeAndFormOf(IEnumerable<string> models)
    {
        var d = new TheoryData<string, string, string>();
        foreach (var m in models)
        {
            foreach (var s in new[] { "none", "static", "dynamic", "llm-int8", "auto" })
            {
                d.Add(m, s, "none");
                if (GoldenModels.UnrollsALayer(m, s))
                {
                    d.Add(m, s, "all");
                }

                if (GoldenModels.WidensALayer(m, s))
                {
                    d.Add(m, s, "wide");
                }
            }
        }

        return d;
    }

    /// <summary>The synthetic sequence models × float, dynamic and static × looped.</summary>
    public static TheoryData<string, string, string> SequenceModels() => Matrix(GoldenModels.Sequence, ["none", "dynamic", "static"], ["none", "wide"]);

    /// <summary>The ONNX models of shapes no family has (BatchNorm MLP, channel-first CNN) × float, dynamic and static × looped.</summary>
    public static TheoryData<string, string, string> OnnxModels() => Matrix(["kolakowski_bn_mlp", "kolakowski_cnn_cf"], ["none", "dynamic", "static"], ["none"]);

    private static TheoryData<string, string, string> Matrix(IEnumerable<string> models, string[]? schemes = null, string[]? forms = null)
    {
        var d = new TheoryData<string, string, string>();
        foreach (var (m, s, u) in from m in models from s in schemes ?? Schemes from u in forms ?? Forms where u != "wide" || s == "static" select (m, s, u))
        {
            d.Add(m, s, u);
        }

        return d;
    }
}
