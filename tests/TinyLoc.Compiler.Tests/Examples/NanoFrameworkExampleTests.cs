using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Tests.Harness;
using DiagnosticFormatter = TinyLoc.Compiler.Tests.Harness.DiagnosticFormatter;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Compiler.Tests.Examples;

/// <summary>
/// examples/nanoframework: the app, with the model class and runtime files the CLI writes into its Models/ folder,
/// compiles as C# 7.3 against the real nanoFramework.CoreLibrary mscorlib.dll and nothing else, and keeps the
/// nanoFramework profile (no generics, no boxing, no double). The .nfproj compiles exactly those files.
/// </summary>
public sealed class NanoFrameworkExampleTests
{
    private const string Model = "kolakowski_mamba";

    /// <summary>Where the CLI writes the generated files, relative to the example (the README's --out).</summary>
    private const string GeneratedFolder = "Models";

    private static readonly XNamespace MsBuild = "http://schemas.microsoft.com/developer/msbuild/2003";

    private static string ExampleFolder => Path.Combine(RepoPaths.RepoRoot, "examples", "nanoframework");

    private static string ProjectFile => Path.Combine(ExampleFolder, "TinyLoc.Example.NanoFramework.nfproj");

    /// <summary>The test project's NanoFrameworkCoreLibraryVersion (its PackageDownload), passed in by MSBuild.</summary>
    private static string CoreLibraryVersion => Metadata("NanoFrameworkCoreLibraryVersion");

    /// <summary>mscorlib.dll in the NuGet global packages folder, as MSBuild resolved it at build time.</summary>
    private static string CoreLibraryPath => Metadata("NanoFrameworkCoreLibrary");

    [Fact]
    public void TheProjectCompilesProgramAndExactlyTheFilesTheCompilerGenerates()
    {
        var expected = new[] { "Program.cs" }
            .Concat(Generate().Select(f => GeneratedFolder + "/" + f.Path))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToArray();
        var compiled = ProjectItems("Compile").OrderBy(p => p, StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, compiled);
    }

    [Fact]
    public void TheProjectReferencesOnlyTheCoreLibraryTheTestCompilesAgainst()
    {
        string version = CoreLibraryVersion;
        XElement reference = Assert.Single(Project().Descendants(MsBuild + "Reference"));
        Assert.Equal(
            $"packages/nanoFramework.CoreLibrary.{version}/lib/mscorlib.dll",
            reference.Element(MsBuild + "HintPath")?.Value.Replace('\\', '/'));

        // The reference's identity is the real assembly's.
        AssemblyName real = AssemblyNameOf(CoreLibraryPath);
        var named = new AssemblyName(reference.Attribute("Include")!.Value);
        Assert.Equal("mscorlib", named.Name);
        Assert.Equal(real.Version, named.Version);

        XElement package = Assert.Single(XDocument.Load(Path.Combine(ExampleFolder, "packages.config")).Descendants("package"));
        Assert.Equal("nanoFramework.CoreLibrary", package.Attribute("id")?.Value);
        Assert.Equal(version, package.Attribute("version")?.Value);
        Assert.Equal("netnano1.0", package.Attribute("targetFramework")?.Value);
    }

    [Fact]
    public void TheAppCompilesAgainstTheRealNanoFrameworkCoreLibraryAlone()
    {
        ImmutableArray<Diagnostic> errors = CompileForNanoFramework(AppSources(ReadProgram()));
        Assert.True(errors.IsEmpty, $"{errors.Length} error(s):\n{DiagnosticFormatter.Format(errors)}");
    }

    [Fact]
    public void AnErrorInProgramFailsTheCompilation()
    {
        // The check above is not vacuous: the real mscorlib has no System.Collections.Generic, and a double is caught.
        string program = ReadProgram();

        string generic = program.Replace("using System.Threading;", "using System.Threading;\nusing System.Collections.Generic;", StringComparison.Ordinal);
        Assert.Contains(CompileForNanoFramework(AppSources(generic)), d => d.Id == "CS0234");

        string withDouble = program.Replace("float rssi = -50.0f", "float rssi = (float)-50.0", StringComparison.Ordinal);
        Assert.NotEqual(program, withDouble);
        Assert.Contains(CompileForNanoFramework(AppSources(withDouble)), d => d.Id == "NF0003");
    }

    [Fact]
    public void TheDemoPrintsWhatTheReadmeShows()
    {
        // Runs the app's demo on desktop .NET (the same sources; float arithmetic only). A Debug class in the app's
        // namespace takes the place of System.Diagnostics.Debug, so the lines are captured without a global listener.
        const string Shim = """
            namespace TinyLoc.Example.NanoFramework
            {
                public static class Debug
                {
                    public static readonly System.Text.StringBuilder Lines = new System.Text.StringBuilder();
                    public static void WriteLine(string line) { Lines.Append(line).Append('\n'); }
                }
            }
            """;
        var sources = AppSources(ReadProgram());
        sources.Add(("DebugShim.cs", Shim));
        byte[] image = CSharpHost.Compile("NanoFrameworkExampleRun", sources, new CSharpHostOptions { LanguageVersion = LanguageVersion.CSharp7_3, Nullable = NullableContextOptions.Disable });

        var context = new System.Runtime.Loader.AssemblyLoadContext("NanoFrameworkExampleRun", isCollectible: true);
        try
        {
            Assembly app = context.LoadFromStream(new MemoryStream(image, writable: false));
            Type program = app.GetType("TinyLoc.Example.NanoFramework.Program", throwOnError: true)!;
            program.GetMethod("ReplayDemo", BindingFlags.NonPublic | BindingFlags.Static)!.Invoke(null, null);
            string printed = app.GetType("TinyLoc.Example.NanoFramework.Debug", throwOnError: true)!
                .GetField("Lines")!.GetValue(null)!.ToString()!;

            string[] answers = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            string[] shown = File.ReadAllLines(Path.Combine(ExampleFolder, "README.md")).Where(l => l.StartsWith("t=", StringComparison.Ordinal)).ToArray();
            Assert.NotEmpty(answers);
            Assert.Equal(shown, answers);
        }
        finally
        {
            context.Unload();
        }
    }

    private static string ReadProgram() => File.ReadAllText(Path.Combine(ExampleFolder, "Program.cs"));

    /// <summary><paramref name="program"/> as Program.cs, and the generated files at their paths in the project.</summary>
    private static List<(string Path, string Text)> AppSources(string program)
    {
        var sources = new List<(string Path, string Text)> { ("Program.cs", program) };
        sources.AddRange(Generate().Select(f => (GeneratedFolder + "/" + f.Path, f.Content)));
        return sources;
    }

    private static readonly Lazy<IReadOnlyList<GeneratedFile>> Generated = new(GenerateFiles);

    /// <summary>What <c>tinyloc compile examples/models/kolakowski_mamba.tinyloc.json --target nanoframework</c> writes.</summary>
    private static IReadOnlyList<GeneratedFile> Generate() => Generated.Value;

    private static IReadOnlyList<GeneratedFile> GenerateFiles()
    {
        var c = Compilation.Create(Path.Combine(RepoPaths.ExamplesModels, Model + ".tinyloc.json"));
        Assert.True(c.Success, string.Join("\n", c.Diagnostics.Items));
        var files = c.Emit("nanoframework");
        Assert.True(files is not null, string.Join("\n", c.Diagnostics.Items));
        return files!;
    }

    /// <summary>Compiles and emits an executable, C# 7.3, against mscorlib.dll alone; returns its errors and the profile's.</summary>
    private static ImmutableArray<Diagnostic> CompileForNanoFramework(IEnumerable<(string Path, string Text)> sources)
    {
        var parse = new CSharpParseOptions(LanguageVersion.CSharp7_3);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parse, s.Path, Encoding.UTF8)).ToArray();
        var compilation = CSharpCompilation.Create(
            "TinyLoc.Example.NanoFramework",
            trees,
            [MetadataReference.CreateFromFile(CoreLibraryPath)],
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, optimizationLevel: OptimizationLevel.Release, deterministic: true));
        using var image = new MemoryStream();
        EmitResult emit = compilation.Emit(image);
        return emit.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Concat(NanoFrameworkProfileRules.Check(compilation))
            .ToImmutableArray();
    }

    private static XDocument Project() => XDocument.Load(ProjectFile);

    private static IEnumerable<string> ProjectItems(string kind) =>
        Project().Descendants(MsBuild + kind).Select(e => e.Attribute("Include")!.Value.Replace('\\', '/'));

    private static AssemblyName AssemblyNameOf(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        return pe.GetMetadataReader().GetAssemblyDefinition().GetAssemblyName();
    }

    private static string Metadata(string key)
    {
        string? value = typeof(NanoFrameworkExampleTests).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == key)?.Value;
        Assert.False(string.IsNullOrEmpty(value), $"The test assembly has no [AssemblyMetadata(\"{key}\")]: see TinyLoc.Compiler.Tests.csproj.");
        if (key == "NanoFrameworkCoreLibrary")
        {
            Assert.True(File.Exists(value), $"{value} does not exist: restore the test project (its PackageDownload of nanoFramework.CoreLibrary).");
        }

        return value!;
    }
}
