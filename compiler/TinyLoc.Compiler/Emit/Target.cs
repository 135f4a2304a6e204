using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Json;

namespace TinyLoc.Compiler.Emit;

/// <summary>
/// One output file of a target: a path (itself a template, e.g. <c>{{name}}.c</c>) and the template that fills it,
/// or (<c>"copy"</c>) a file of the runtime copied as it is (<c>c/tinyloc_runtime.c</c>: runtime/ in the repository).
/// Files with <c>"runtime": true</c>, and every copy, are written only with the runtime (not with <c>--no-runtime</c>).
/// </summary>
public sealed record TargetFile(string Path, string Template, string? Copy = null, bool Runtime = false);

/// <summary>A target, read from <c>TARGET/target.json</c>: the language and the files it produces.</summary>
public sealed record Target(string Name, Language Language, string Description, IReadOnlyList<TargetFile> Files)
{
    /// <summary>The core whose code sizes the report uses for this target unless <c>--core</c> says otherwise (<c>"core"</c> in target.json).</summary>
    public string Core { get; init; } = Ops.CostModel.CortexM4.Core;

    /// <summary>Reads a target from the template source; null with a diagnostic if unknown or malformed.</summary>
    public static Target? Load(TemplateSource source, string name, DiagnosticBag diagnostics)
    {
        string? text = source.Read(name + "/target.json");
        if (text is null)
        {
            diagnostics.Report(DiagnosticDescriptors.UnknownTarget, SourceLocation.None, name, string.Join(", ", source.Targets()));
            return null;
        }

        var loc = new SourceLocation(source.Description + "/" + name + "/target.json");
        try
        {
            var root = JsonParser.Parse(text);
            string lang = root["language"]?.String ?? string.Empty;
            var files = root["files"]?.Items.Select(f => new TargetFile(
                f["path"]?.String ?? string.Empty,
                f["template"]?.String ?? string.Empty,
                f["copy"]?.String,
                f["copy"] is not null || f["runtime"]?.Bool == true)).ToList();
            if ((lang != "c" && lang != "csharp") || files is null || files.Count == 0
                || files.Any(f => f.Path.Length == 0 || (f.Template.Length == 0) == (f.Copy is null) || (f.Copy is { } copy && RuntimeFiles.Read(copy) is null)))
            {
                diagnostics.Report(DiagnosticDescriptors.TemplateFailed, loc, "target.json", $"needs \"language\": \"c\" or \"csharp\" and \"files\": [{{\"path\", \"template\"}} or {{\"path\", \"copy\"}}], a copy naming a runtime file ({string.Join(", ", RuntimeFiles.Names)})");
                return null;
            }

            string core = root["core"]?.String ?? Ops.CostModel.CortexM4.Core;
            if (Ops.CostModel.ByName(core) is null)
            {
                diagnostics.Report(DiagnosticDescriptors.UnknownCore, loc with { Field = "core" }, core, Ops.CostModel.Names);
                return null;
            }

            return new Target(name, lang == "c" ? Language.C : Language.CSharp, root["description"]?.String ?? string.Empty, files) { Core = core };
        }
        catch (JsonParseException e)
        {
            diagnostics.Report(DiagnosticDescriptors.TemplateFailed, loc with { Line = e.Line, Column = e.Column }, "target.json", e.Message);
            return null;
        }
    }
}
