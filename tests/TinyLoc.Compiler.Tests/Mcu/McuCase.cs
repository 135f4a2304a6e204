using System;
using System.Linq;
using TinyLoc.Compiler.Tests.Harness;

namespace TinyLoc.Compiler.Tests.Mcu;

/// <summary>
/// One model × scheme × layer form × microcontroller: the compilation, its golden inputs, the reference
/// evaluator's outputs, and (built on first use, once per test process) the program and its first run
/// with instruction counting. Several test classes share a case through <see cref="McuCases"/>.
/// </summary>
public sealed class McuCase
{
    private readonly Lazy<McuBuild> _build;
    private readonly Lazy<QemuRun> _firstRun;

    /// <summary>Creates a case; nothing is built until <see cref="Build"/> is used.</summary>
    /// <param name="compilation">A successful compilation.</param>
    /// <param name="target">The microcontroller.</param>
    /// <param name="inputs">The golden inputs.</param>
    /// <param name="label">A readable label such as <c>uji_mlp/static/all</c>.</param>
    public McuCase(Compilation compilation, McuTarget target, float[][] inputs, string label)
    {
        Compilation = compilation;
        Target = target;
        Inputs = inputs;
        Label = label;
        Reference = inputs.Select(compilation.Evaluate).ToArray();
        _build = new Lazy<McuBuild>(() => McuBuilder.Build(compilation, target, inputs, label.Replace('/', '-')));
        _firstRun = new Lazy<QemuRun>(() => Run());
    }

    /// <summary>The compilation.</summary>
    public Compilation Compilation { get; }

    /// <summary>The microcontroller.</summary>
    public McuTarget Target { get; }

    /// <summary>The golden inputs the program runs.</summary>
    public float[][] Inputs { get; }

    /// <summary>The reference evaluator's output for every input: what the program must print, bit for bit.</summary>
    public float[][] Reference { get; }

    /// <summary><c>model/scheme/unroll</c>, for messages.</summary>
    public string Label { get; }

    /// <summary>True for classifiers (the program also prints classes).</summary>
    public bool Classify => Compilation.Manifest!.Output.IsClassification;

    /// <summary>The linked program.</summary>
    public McuBuild Build => _build.Value;

    /// <summary>The first run of the program, with instruction counting.</summary>
    public QemuRun FirstRun => _firstRun.Value;

    /// <summary>Runs the program (again) with instruction counting.</summary>
    public QemuRun Run() => QemuRunner.Run(Build, Inputs.Length, Classify, countInstructions: true);
}
