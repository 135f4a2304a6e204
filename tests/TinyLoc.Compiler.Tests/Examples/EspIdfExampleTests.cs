using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TinyLoc.Compiler.Ops;
using TinyLoc.Compiler.Tests.Golden;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Compiler.Tests.Mcu;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Compiler.Tests.Examples;

/// <summary>
/// <c>examples/esp-idf</c> as a user builds it: copied to a scratch folder, the model's component generated into
/// <c>components/kolakowski_mamba</c> as its README says, then checked the way ESP-IDF reads it (component names
/// from folder names, the SRCS each <c>idf_component_register</c> lists) and compiled for rv32imc (ESP32-C3) with
/// warnings as errors: the component as it is, <c>main/main.c</c> against declarations of the ESP-IDF v5.x API it
/// uses (<c>esp-idf-stubs/</c>; ESP-IDF itself is not installed here).
/// </summary>
public sealed class EspIdfExampleTests
{
    private const string Model = "kolakowski_mamba";

    private static readonly string ExampleFolder = Path.Combine(RepoPaths.RepoRoot, "examples", "esp-idf");

    private static readonly string StubsFolder = Path.Combine(RepoPaths.RepoRoot, "tests", "TinyLoc.Compiler.Tests", "Examples", "esp-idf-stubs");

    /// <summary>What a user's <c>idf.py</c> run leaves in the example, which the copy leaves out.</summary>
    private static readonly string[] LocalFolders = ["components", "build", "managed_components"];

    private static readonly string[] LocalFiles = ["sdkconfig", "sdkconfig.old", "dependencies.lock"];

    [Fact]
    public void TheProjectFindsTheGeneratedComponentAsEspIdfNamesIt()
    {
        using var scratch = ScratchDirectory.Create("esp-idf-example");
        string component = PrepareProject(scratch.Path);

        Assert.True(File.Exists(Path.Combine(component, "idf_component.yml")), "the component has no idf_component.yml");
        var registered = ComponentRegister(Path.Combine(component, "CMakeLists.txt"));
        Assert.All(registered["SRCS"], s => Assert.True(File.Exists(Path.Combine(component, s)), $"the component's SRCS names {s}, which it does not have"));
        Assert.All(registered["INCLUDE_DIRS"], d => Assert.True(Directory.Exists(Path.Combine(component, d)), $"the component's INCLUDE_DIRS names {d}, which it does not have"));

        var main = ComponentRegister(Path.Combine(scratch.Path, "main", "CMakeLists.txt"));
        Assert.Equal(["main.c"], main["SRCS"]);
        Assert.Contains(Path.GetFileName(component), main["REQUIRES"]);
        Assert.Contains("bt", main["REQUIRES"]);
        Assert.Contains("nvs_flash", main["REQUIRES"]);

        string project = File.ReadAllText(Path.Combine(scratch.Path, "CMakeLists.txt"));
        Assert.Contains("include($ENV{IDF_PATH}/tools/cmake/project.cmake)", project, StringComparison.Ordinal);
        Assert.Contains("project(", project, StringComparison.Ordinal);

        // The legacy GAP scan API main.c uses exists only with Bluedroid's BLE 4.2 features.
        string[] defaults = File.ReadAllLines(Path.Combine(scratch.Path, "sdkconfig.defaults"));
        Assert.Contains("CONFIG_BT_ENABLED=y", defaults);
        Assert.Contains("CONFIG_BT_BLUEDROID_ENABLED=y", defaults);
        Assert.Contains("CONFIG_BT_BLE_42_FEATURES_SUPPORTED=y", defaults);

        // The generated component is never committed.
        Assert.Contains("components/", File.ReadAllLines(Path.Combine(ExampleFolder, ".gitignore")));
        scratch.MarkSucceeded();
    }

    [RequiresMcuToolchainFact("riscv64-unknown-elf-gcc")]
    public void TheComponentAndMainCompileForEsp32C3WithWarningsAsErrors()
    {
        using var scratch = ScratchDirectory.Create("esp-idf-example-rv32");
        string component = PrepareProject(scratch.Path);
        var registered = ComponentRegister(Path.Combine(component, "CMakeLists.txt"));
        var includes = registered["INCLUDE_DIRS"].Select(d => "-I" + Path.Combine(component, d)).ToList();
        string objects = Directory.CreateDirectory(Path.Combine(scratch.Path, "obj")).FullName;

        foreach (string source in registered["SRCS"])
        {
            Compile(Path.Combine(component, source), [.. includes, "-ffp-contract=off"], objects);
        }

        Compile(Path.Combine(scratch.Path, "main", "main.c"), ["-I" + StubsFolder, .. includes], objects);
        Assert.Equal(registered["SRCS"].Count + 1, Directory.GetFiles(objects, "*.o").Length);
        scratch.MarkSucceeded();
    }

    /// <summary>Copies the example into <paramref name="folder"/> and generates the model's component as its README says; returns the component's folder.</summary>
    private static string PrepareProject(string folder)
    {
        foreach (string file in Directory.GetFiles(ExampleFolder, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(ExampleFolder, file);
            if (LocalFolders.Contains(relative.Split(Path.DirectorySeparatorChar)[0]) || LocalFiles.Contains(relative))
            {
                continue;
            }

            string target = Path.Combine(folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        // tinyloc compile examples/models/kolakowski_mamba.tinyloc.json --target esp-idf --out .../components/kolakowski_mamba
        var c = Compilation.Create(Path.Combine(RepoPaths.ExamplesModels, Model + ".tinyloc.json"), new CompileOptions { Core = CostModel.Rv32imc });
        Assert.True(c.Success, string.Join("\n", c.Diagnostics.Items));
        string component = GoldenModels.EmitTo(c, "esp-idf", Path.Combine(folder, "components", c.Manifest!.Name));
        Assert.True(File.Exists(Path.Combine(component, "CMakeLists.txt")), "the component has no CMakeLists.txt");
        return component;
    }

    /// <summary>
    /// The arguments of the file's <c>idf_component_register(...)</c> by keyword (<c>SRCS</c>, <c>INCLUDE_DIRS</c>,
    /// <c>REQUIRES</c>, ...), quotes removed, comments dropped.
    /// </summary>
    private static Dictionary<string, List<string>> ComponentRegister(string cmakeLists)
    {
        string text = string.Join('\n', File.ReadAllLines(cmakeLists).Select(l => l.Split('#')[0]));
        int call = text.IndexOf("idf_component_register(", StringComparison.Ordinal);
        Assert.True(call >= 0, $"{cmakeLists} does not call idf_component_register");
        int open = text.IndexOf('(', call);
        int close = text.IndexOf(')', open);
        var arguments = new Dictionary<string, List<string>>();
        List<string>? current = null;
        foreach (string token in text[(open + 1)..close].Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (token.All(ch => ch is (>= 'A' and <= 'Z') or '_'))
            {
                current = arguments[token] = [];
            }
            else
            {
                Assert.True(current is not null, $"{cmakeLists}: '{token}' before any keyword of idf_component_register");
                current!.Add(token.Trim('"'));
            }
        }

        return arguments;
    }

    /// <summary>
    /// One C file for ESP32-C3 (rv32imc, ilp32) with the rv32 MCU tests' compiler and picolibc, in ESP-IDF's GNU C
    /// dialect, warnings as errors; any diagnostic fails.
    /// </summary>
    private static void Compile(string source, IReadOnlyList<string> extra, string objects)
    {
        var target = McuTarget.Rv32;
        var args = new List<string> { "--specs=picolibc.specs", "-march=rv32imc", "-mabi=ilp32", "-Os", "-std=gnu99", "-Wall", "-Wextra", "-Werror" };
        args.AddRange(extra);
        args.AddRange(["-c", source, "-o", Path.Combine(objects, Path.GetFileNameWithoutExtension(source) + ".o")]);
        var r = ProcessRunner.Run(target.Gcc, args, objects, TimeSpan.FromMinutes(15));
        Assert.True(r.Succeeded && r.StandardError.Length == 0, $"{Path.GetFileName(source)} does not compile for ESP32-C3.\n{r.Describe()}");
    }
}
