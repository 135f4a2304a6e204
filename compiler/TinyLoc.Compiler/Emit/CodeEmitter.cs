using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using HandlebarsDotNet;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Memory;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Emit;

/// <summary>A file the compiler produced: a relative path and its text (\n line ends).</summary>
public sealed record GeneratedFile(string Path, string Content);

/// <summary>
/// Lowers a compiled model to code: the kernel bodies, tables and helpers are generated per language,
/// and the target's templates lay out the files around them (mcu-templates/README.md lists the names).
/// </summary>
public static class CodeEmitter
{
    public const string DefaultNamespace = "TinyLoc.Models";

    public static IReadOnlyList<GeneratedFile>? Emit(Compilation c, string targetName, TemplateSource templates, DiagnosticBag diagnostics, string? csNamespace = null)
    {
        var target = Target.Load(templates, targetName, diagnostics);
        if (target is null || c.Graph is null || c.Plan is null || c.Report is null || c.Manifest is null)
        {
            return null;
        }

        string ns = csNamespace ?? DefaultNamespace;
        if (target.Language == Language.CSharp && Naming.NamespaceProblem(ns) is { } nsProblem)
        {
            diagnostics.Report(DiagnosticDescriptors.InvalidNamespace, new SourceLocation("--namespace"), Naming.CommentText(ns), nsProblem);
            return null;
        }

        if (Naming.ModelNameProblem(c.Manifest.Name) is { } nameProblem)
        {
            diagnostics.Report(DiagnosticDescriptors.ReservedName, new SourceLocation(c.Manifest.ManifestPath, 0, 0, "name"), c.Manifest.Name, nameProblem);
            return null;
        }

        var model = Model(c, target, ns);
        var hb = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true });
        foreach (var (name, text) in templates.Partials())
        {
            hb.RegisterTemplate(name, text);
        }

        var files = new List<GeneratedFile>();
        foreach (var f in target.Files)
        {
            if (f.Runtime && !c.Options.Runtime)
            {
                continue;
            }

            if (f.Copy is { } copy)
            {
                files.Add(new GeneratedFile(hb.Compile(f.Path)(model), RuntimeFiles.Read(copy)!));
                continue;
            }

            string? text = templates.Read(target.Name + "/" + f.Template) ?? templates.Read("partials/" + f.Template + ".hbs");
            if (text is null)
            {
                diagnostics.Report(DiagnosticDescriptors.TemplateMissing, SourceLocation.None, f.Template, templates.Description + "/" + target.Name);
                return null;
            }

            try
            {
                string path = hb.Compile(f.Path)(model);
                string body = hb.Compile(text.Replace("\r\n", "\n"))(model);
                files.Add(new GeneratedFile(path, Tidy(body)));
            }
            catch (Exception e) when (e is HandlebarsException or InvalidOperationException or ArgumentException)
            {
                diagnostics.Report(DiagnosticDescriptors.TemplateFailed, new SourceLocation(templates.Description + "/" + target.Name + "/" + f.Template), f.Template, e.Message);
                return null;
            }
        }

        return files;
    }

    /// <summary>The helper functions the C code of <paramref name="graph"/> calls (what the size report counts).</summary>
    public static IReadOnlyCollection<Helper> HelpersUsed(Graph graph, MemoryPlan plan, string name)
    {
        var ctx = new EmitContext(new Dialect(Language.C, name + "_"), graph, plan, 1, census: true);
        LowerNodes(ctx, graph);
        return ctx.Helpers;
    }

    /// <summary>Generates the body, tables, helpers and arena of the predict function in one language.</summary>
    public static (string Body, string Tables, string Helpers, string Arena, string Functions) Lower(Compilation c, Dialect d, int indent)
    {
        var graph = c.Graph!;
        var plan = c.Plan!;
        var ctx = new EmitContext(d, graph, plan, indent);
        LowerNodes(ctx, graph);
        string body = ctx.W.ToString().TrimEnd('\n');
        string tables = Indent(ctx.Tables, d.IsC ? 0 : 2);
        string helpers = Indent(Helpers.EmitAll(ctx.Helpers, d), d.IsC ? 0 : 2);
        // C: every buffer is declared with NAME_ARENA_ATTRIBUTE (the header defines it, empty unless the firmware does).
        string buffers = Arena(d, plan) + Scratch(d, ctx) + ScratchF32(d, ctx);
        return (body, tables, helpers, Indent(buffers + ctx.Views.Declarations(), d.IsC ? 0 : 2), Indent(ctx.Functions, d.IsC ? 0 : 2));
    }

    /// <summary>Every node's code, in order, under a comment banner; in a block of its own where it declares locals.</summary>
    private static void LowerNodes(EmitContext ctx, Graph graph)
    {
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            if (graph.Loops.FirstOrDefault(l => l.First == i) is { } loop)
            {
                OpenLoop(ctx, graph, loop);
            }

            LowerNode(ctx, graph, graph.Nodes[i]);
            if (graph.Loops.Any(l => l.Last == i))
            {
                ctx.W.Close();
            }
        }
    }

    /// <summary>
    /// A time-fused loop's head: its carries set to zero, then <c>for (int step = 0; step &lt; T; step++)</c> around its
    /// nodes (<c>step</c>: no op's own loops use that name, so C# sees no clash).
    /// </summary>
    private static void OpenLoop(EmitContext ctx, Graph graph, StepLoop loop)
    {
        ctx.W.Line($"/* {Naming.CommentText($"Time-fused loop: nodes {graph.Nodes[loop.First].Name} to {graph.Nodes[loop.Last].Name} one step at a time, {loop.Steps} steps")} */");
        foreach (string carry in loop.Carries)
        {
            ctx.W.Open($"for (int i = 0; i < {graph[carry].Elements}; i++)");
            ctx.W.Line($"{ctx.At(carry, "i")} = 0.0f;");
            ctx.W.Close();
        }

        ctx.W.Open($"for (int step = 0; step < {loop.Steps}; step++)");
    }

    /// <summary>One node's code under a comment banner; in a block of its own where it declares locals.</summary>
    private static void LowerNode(EmitContext ctx, Graph graph, Node node)
    {
        var v = graph[node.Output];
        string form = node.Op.CanUnroll ? ", " + node.Form.ToString().ToLowerInvariant() : string.Empty;
        string attrs = node.Op.Describe(node);
        // Node, source and value names come from the model file: the whole banner is comment text.
        ctx.W.Line($"/* {Naming.CommentText($"{node.Name}: {node.Op.Name}{form} <- {node.Source}; {string.Join(", ", node.Inputs)} -> {node.Output} {v.TypeText}{(attrs.Length > 0 ? "; " + attrs : string.Empty)}")} */");
        int start = ctx.W.Length;
        ctx.W.OpenBrace();
        node.Op.Emit(node, ctx);
        ctx.W.Close().UnwrapIfScopesNothing(start);
    }

    private static Dictionary<string, object?> Model(Compilation c, Target target, string ns)
    {
        var m = c.Manifest!;
        var r = c.Report!;
        var d = new Dialect(target.Language, m.Name + "_");
        var (body, tables, helpers, arena, functions) = Lower(c, d, target.Language == Language.C ? 1 : 3);

        // Text from the model file, escaped for where the templates put it: comments (C), comments and
        // documentation comments (C#), string literals. Names are checked in Emit and the manifest reader.
        bool isC = target.Language == Language.C;
        string Comment(string? text) => isC ? Naming.CommentText(text) : Naming.DocText(text);
        return new Dictionary<string, object?>
        {
            ["name"] = m.Name,
            ["Name"] = PascalCase(m.Name),
            ["NAME"] = m.Name.ToUpperInvariant(),
            ["namespace"] = ns,
            ["profile"] = target.Name,
            ["description"] = Comment(m.Description ?? $"{m.Family} model {m.Name}"),
            ["yamlDescription"] = Naming.YamlString(m.Description ?? $"{m.Family} model {m.Name}"),
            ["hash"] = c.ContentHash,
            ["scheme"] = r.Scheme,
            ["unroll"] = r.Unroll,
            ["inputCount"] = m.Input.Count,
            ["outputCount"] = c.Graph![c.Graph.Output].Elements,
            ["decodesPath"] = m.OutputIsTagPath,
            ["crf"] = m.Architecture.Crf,
            ["classCount"] = m.Output.Count,
            ["isClassifier"] = m.Output.IsClassification,
            ["labels"] = m.Output.Labels.Select(l => isC ? Naming.CString(l) : Naming.CSharpString(l)).ToList(),
            ["outputNames"] = Comment(string.Join(", ", m.Output.Names)),
            ["unit"] = string.IsNullOrEmpty(m.Output.Unit) ? null : Comment(m.Output.Unit),
            ["normalise"] = m.Input.Normalisation == "minmax",
            ["rssiMin"] = Fmt.Float(m.Input.RssiMin),
            ["rssiMax"] = Fmt.Float(m.Input.RssiMax),
            ["missing"] = m.Input.MissingValue is float mv ? Fmt.Float(mv) : null,
            ["macs"] = r.Macs.ToString(CultureInfo.InvariantCulture),
            ["ram"] = new Dictionary<string, object>
            {
                ["total"] = r.RamBytes, ["arena"] = r.ArenaBytes, ["lowerBound"] = r.ArenaLowerBound, ["state"] = r.StateBytes,
                ["scratch"] = r.ScratchBytes, ["stack"] = r.StackBytes, ["io"] = r.InputBytes + r.OutputBytes,
            },
            ["flash"] = new Dictionary<string, object>
            {
                ["total"] = r.FlashBytes, ["weights"] = r.WeightBytes, ["tables"] = r.TableBytes, ["code"] = r.CodeBytes,
            },
            ["body"] = body,
            ["tables"] = tables,
            ["helpers"] = helpers,
            ["arena"] = arena,
            ["functions"] = functions,
            ["runtime"] = c.Options.Runtime ? RuntimeGlue.Vocabulary(c, isC) : null,
        };
    }

    private static string Arena(Dialect d, Memory.MemoryPlan plan)
    {
        if (plan.ArenaBytes == 0)
        {
            return string.Empty;
        }

        var w = new CodeWriter();
        if (d.IsC)
        {
            w.Line($"/* The arena: {plan.ArenaBytes} bytes (lower bound {plan.LowerBound}); offsets from the memory plan. */");
            w.Line($"static {d.Macro("ARENA_ATTRIBUTE")} union");
            w.Line("{");
            if (plan.HasType(DType.Int8))
            {
                w.Line($"    int8_t i8[{plan.ArenaBytes}];");
            }

            if (plan.HasType(DType.Float32))
            {
                w.Line($"    float f32[{(plan.ArenaBytes + 3) / 4}];");
            }

            w.Line($"}} {d.Sym("arena")};");
        }
        else
        {
            w.Line($"// The arena: {plan.ArenaBytes} bytes (lower bound {plan.LowerBound}); offsets from the memory plan.");
            if (plan.HasType(DType.Int8))
            {
                w.Line($"private static readonly sbyte[] ArenaI8 = new sbyte[{plan.ArenaBytes}];");
            }

            if (plan.HasType(DType.Float32))
            {
                w.Line($"private static readonly float[] ArenaF32 = new float[{(plan.ArenaBytes + 3) / 4}];");
            }
        }

        return w.ToString();
    }

    private static string Scratch(Dialect d, EmitContext ctx)
    {
        int bytes = ctx.ScratchBytes;
        bool scalars = ctx.ScratchScalarsUsed;
        if (bytes == 0)
        {
            return string.Empty;
        }

        string purposes = Naming.CommentText(string.Join(", ", ctx.ScratchPurposes));
        var w = new CodeWriter();
        if (d.IsC)
        {
            w.Line($"/* Scratch: {bytes} bytes for {purposes}. */");
            w.Line($"static {d.Macro("ARENA_ATTRIBUTE")} int8_t {d.Sym("scratch")}[{bytes}];");
            if (scalars)
            {
                w.Line($"static {d.Macro("ARENA_ATTRIBUTE")} int32_t {d.Sym("scratch_zp")};");
                w.Line($"static {d.Macro("ARENA_ATTRIBUTE")} float {d.Sym("scratch_scale")};");
            }
        }
        else
        {
            w.Line($"// Scratch: {bytes} bytes for {purposes}.");
            w.Line($"private static readonly sbyte[] Scratch = new sbyte[{bytes}];");
            if (scalars)
            {
                w.Line("private static int ScratchZp;");
                w.Line("private static float ScratchScale;");
            }
        }

        return w.ToString();
    }

    /// <summary>The shared float32 scratch (<see cref="EmitContext.ScratchF32"/>), declared only when used.</summary>
    private static string ScratchF32(Dialect d, EmitContext ctx)
    {
        int count = ctx.ScratchF32Count;
        if (count == 0)
        {
            return string.Empty;
        }

        string what = Naming.CommentText($"Float scratch: {count} floats ({count * 4} bytes) for {string.Join(", ", ctx.ScratchF32Purposes)}.");
        var w = new CodeWriter();
        if (d.IsC)
        {
            w.Line($"/* {what} */");
            w.Line($"static {d.Macro("ARENA_ATTRIBUTE")} float {d.Sym("scratch_f32")}[{count}];");
        }
        else
        {
            w.Line($"// {what}");
            w.Line($"private static readonly float[] ScratchF32 = new float[{count}];");
        }

        return w.ToString();
    }

    public static string PascalCase(string snake) =>
        string.Concat(snake.Split('_').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p.Substring(1)));

    private static string Indent(string code, int levels)
    {
        if (levels == 0 || code.Length == 0)
        {
            return code;
        }

        string pad = new(' ', levels * 4);
        var sb = new StringBuilder(code.Length + (code.Length / 8));
        foreach (var (start, end) in LineSpans(code))
        {
            if (start > 0)
            {
                sb.Append('\n');
            }

            if (end > start)
            {
                sb.Append(pad).Append(code, start, end - start);
            }
        }

        return sb.ToString();
    }

    /// <summary>Each line of <paramref name="text"/> as [start, end) without its '\n' (as <c>Split('\n')</c> gives them, a last empty one included), without copying.</summary>
    private static IEnumerable<(int Start, int End)> LineSpans(string text)
    {
        for (int start = 0; start <= text.Length;)
        {
            int end = text.IndexOf('\n', start);
            end = end < 0 ? text.Length : end;
            yield return (start, end);
            start = end + 1;
        }
    }

    /// <summary>No trailing spaces, no runs of blank lines, one final newline.</summary>
    private static string Tidy(string text)
    {
        text = text.Replace("\r\n", "\n");
        var sb = new StringBuilder(text.Length + 1);
        bool lastBlank = false;
        foreach (var (start, end) in LineSpans(text))
        {
            int trimmed = end;
            while (trimmed > start && char.IsWhiteSpace(text[trimmed - 1]))
            {
                trimmed--;
            }

            bool blank = trimmed == start;
            if (blank && lastBlank)
            {
                continue;
            }

            if (start > 0)
            {
                sb.Append('\n');
            }

            sb.Append(text, start, trimmed - start);
            lastBlank = blank;
        }

        // As string.Trim('\n') of the joined lines, then one final newline.
        int lead = 0, trail = sb.Length;
        while (lead < trail && sb[lead] == '\n')
        {
            lead++;
        }

        while (trail > lead && sb[trail - 1] == '\n')
        {
            trail--;
        }

        sb.Length = trail;
        sb.Append('\n');
        return sb.ToString(lead, sb.Length - lead);
    }
}
