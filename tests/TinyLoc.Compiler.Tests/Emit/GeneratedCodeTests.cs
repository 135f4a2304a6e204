using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using TinyLoc.Compiler.Passes;
using TinyLoc.Compiler.Tests.Golden;
using Xunit;

namespace TinyLoc.Compiler.Tests.Emit;

/// <summary>
/// The generated code reads like careful hand-written C and C#: every access to the arena goes through a named
/// view, and the code is compact (issue 9: the dynamic <c>kolakowski_mamba.c</c> was 961 lines when the issue was
/// filed, with the per-call quantiser inlined in every layer and bare arena offsets).
/// </summary>
public sealed class GeneratedCodeTests
{
    public static TheoryData<string, string, string> EveryExampleAndScheme()
    {
        var data = new TheoryData<string, string, string>();
        foreach (string model in GoldenModels.Examples.Concat(GoldenModels.SequenceExamples).Concat(GoldenModels.Sequence))
        {
            foreach (string scheme in GoldenModels.Schemes)
            {
                foreach (string target in new[] { "stm32", "dotnet" })
                {
                    data.Add(model, scheme, target);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryExampleAndScheme))]
    public void EveryArenaAccessGoesThroughANamedView(string model, string scheme, string target)
    {
        var c = GoldenModels.Compile(model, scheme, UnrollMode.All);
        Assert.True(c.Success, string.Join("\n", c.Diagnostics.Items));
        var code = c.Emit(target)!.Where(f => f.Path.EndsWith(".c") || f.Path.EndsWith(".cs")).First().Content.Split('\n');

        // C: NAME_arena.f32[...] appears only in the views' #define lines. C#: ArenaF32[...] is indexed only from a
        // view's offset (View.X + i) or a row base that was set from one (int rx = View.X + row * 8).
        var bare = new Regex(target == "stm32" ? @"_arena\.(f32|i8)\[" : @"Arena(F32|I8)\[(?!View\.|rx \+|ry \+)");
        var offenders = code.Where(l => bare.IsMatch(l) && !l.StartsWith("#define ")).ToList();
        Assert.True(offenders.Count == 0, $"{model} {scheme} {target}: bare arena accesses:\n" + string.Join("\n", offenders.Take(5)));
        if (target == "dotnet")
        {
            Assert.All(code.Where(l => Regex.IsMatch(l, @"int r[xy] = ")), l => Assert.Contains("View.", l));
        }
    }

    /// <summary>
    /// A tensor's view macro may not redefine a macro the templates or the emitter define (a value named
    /// <c>input.count</c> would otherwise become <c>NAME_INPUT_COUNT</c>): <see cref="TensorViews.HeaderMacros"/> lists
    /// every <c>NAME_…</c> macro of mcu-templates and of the DSP prelude and fence.
    /// </summary>
    [Fact]
    public void ViewMacrosAvoidEveryMacroTheTemplatesAndPreludesDefine()
    {
        var templates = System.IO.Directory.GetFiles(System.IO.Path.Combine(TinyLoc.Tests.Shared.RepoPaths.RepoRoot, "mcu-templates"), "*.hbs", System.IO.SearchOption.AllDirectories)
            .SelectMany(f => Regex.Matches(System.IO.File.ReadAllText(f), @"#define \{\{NAME\}\}_([A-Z0-9_]+)").Select(m => m.Groups[1].Value));
        var d = new TinyLoc.Compiler.Emit.Dialect(TinyLoc.Compiler.Emit.Language.C, "m_");
        var preludes = new[] { TinyLoc.Compiler.Emit.ArmDsp.Macro(d), TinyLoc.Compiler.Emit.ArmDsp.Pair(d), TinyLoc.Compiler.Emit.Fence.Name(d) }.Select(m => m.Substring(2));
        var defined = templates.Concat(preludes).Distinct().ToList();
        Assert.Contains("INPUT_COUNT", defined);
        Assert.All(defined, m => Assert.Contains(m, TinyLoc.Compiler.Emit.TensorViews.HeaderMacros));
    }

    [Fact]
    public void KolakowskiMambaDynamicIsAQuarterShorterThanWhenTheIssueWasFiled()
    {
        var c = GoldenModels.Compile("kolakowski_mamba", "dynamic");
        string source = c.Emit("stm32")!.Single(f => f.Path == "kolakowski_mamba.c").Content;
        int lines = source.Count(ch => ch == '\n');
        Assert.True(lines <= 961 * 3 / 4, $"kolakowski_mamba.c (dynamic) has {lines} lines; at most {961 * 3 / 4} (961 less 25 %)");

        // One shared per-call quantiser, called by each of the six dynamic layers.
        Assert.Equal(7, Regex.Matches(source, "kolakowski_mamba_quantizedynamic\\(").Count);
    }
}
