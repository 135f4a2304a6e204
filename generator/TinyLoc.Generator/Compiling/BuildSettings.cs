using System.Linq;
using TinyLoc.Compiler;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Quantization;
using TinyLoc.Compiler.Report;
using TinyLoc.Compiler.Util;
using TinyLoc.Generator.Diagnostics;
using TinyLoc.Generator.Parsing;
using TinyLoc.Generator.Pipeline;

namespace TinyLoc.Generator.Compiling;

/// <summary>Checks a model's MSBuild settings and turns them into the compiler's options, like the command line's options.</summary>
internal static class BuildSettings
{
    /// <summary>The profiles the generator can emit: the compiler's C# targets.</summary>
    public static readonly string[] Targets = { "dotnet", "nanoframework", "meadow" };

    /// <summary>The checked settings; every problem is reported at the start of the model file, naming the setting.</summary>
    /// <param name="settings">The settings as written.</param>
    /// <param name="manifestPath">The model file, where problems are reported.</param>
    /// <param name="diagnostics">Receives the problems.</param>
    public static CompileOptions ToOptions(ModelSettings settings, string manifestPath, DiagnosticBag diagnostics)
    {
        var at = new SourceLocation(manifestPath);
        long? Size(string? text, string name) => OptionValues.Size(text, at with { Field = name }, diagnostics);
        var budgets = new Budgets(Size(settings.RamBudget, SettingsReader.RamBudget), Size(settings.FlashBudget, SettingsReader.FlashBudget));
        if (Targets.All(t => t != settings.Target))
        {
            diagnostics.Add(Invalid(at, SettingsReader.Target, settings.Target, "use " + string.Join(", ", Targets) + " (the C targets are the tinyloc command's)"));
        }

        if (!IsNamespace(settings.Namespace))
        {
            diagnostics.Add(Invalid(at, SettingsReader.Namespace, settings.Namespace, "use a C# namespace such as TinyLoc.Models"));
        }

        var unroll = OptionValues.Unroll(settings.Unroll, at with { Field = SettingsReader.Unroll }, diagnostics);
        var schedule = OptionValues.Schedule(settings.Schedule, at with { Field = SettingsReader.Schedule }, diagnostics);
        if (settings.Scheme is not null && SchemeRegistry.Find(settings.Scheme) is null)
        {
            diagnostics.Report(DiagnosticDescriptors.UnknownScheme, at with { Field = SettingsReader.Scheme }, settings.Scheme, SchemeRegistry.Names);
        }

        if (settings.Runtime != "true" && settings.Runtime != "false")
        {
            diagnostics.Add(Invalid(at, SettingsReader.Runtime, settings.Runtime, "use true (the class gets CreateLocalizer() and the budgets count the runtime) or false"));
        }

        return new CompileOptions { Scheme = settings.Scheme, Unroll = unroll, Schedule = schedule, Budgets = budgets, Runtime = settings.Runtime != "false" };
    }

    /// <summary>True for a namespace the compiler accepts for the generated class (<see cref="Naming.NamespaceProblem"/>).</summary>
    /// <param name="name">A candidate namespace.</param>
    public static bool IsNamespace(string name) => Naming.NamespaceProblem(name) is null;

    private static Diagnostic Invalid(SourceLocation at, string setting, string value, string expected)
    {
        var d = GeneratorDiagnostics.InvalidSettingMessage;
        return new Diagnostic(d, at with { Field = setting }, d.Format(setting, value, expected));
    }
}
