using System;
using System.Linq;
using TinyLoc.Compiler.Tests.Golden;
using TinyLoc.Compiler.Tests.Harness;
using Xunit;

namespace TinyLoc.Compiler.Tests.Runtime;

/// <summary>
/// A generated class's <c>CreateLocalizer()</c> (the nanoFramework profile, compiled with the runtime's sources as a
/// project has them): pushes and polls allocate nothing after warm-up, and the C of the same model with its runtime
/// compiles clean under the strict flags.
/// </summary>
public sealed class GeneratedLocalizerTests
{
    [Theory]
    [InlineData("kolakowski_mamba", "dynamic")]
    [InlineData("kolakowski_mlp", "static")]
    [InlineData("uji_mlp", "static")]
    public void PushAndPollAllocateNothingAfterWarmUp(string model, string scheme)
    {
        var c = GoldenModels.Compile(model, scheme);
        var files = c.Emit("nanoframework")!;
        Assert.Equal(new[] { "TinyLoc.Runtime/Answer.cs", "TinyLoc.Runtime/Localizer.cs", "TinyLoc.Runtime/ModelInfo.cs" }, files.Skip(1).Select(f => f.Path));
        using var loaded = CSharpHost.Load(GoldenModels.CSharpClass(c), files.Select(f => f.Content));
        object loc = loaded.ModelType.GetMethod("CreateLocalizer")!.Invoke(null, null)!;
        var push = (Action<string, float, uint>)Delegate.CreateDelegate(typeof(Action<string, float, uint>), loc, loc.GetType().GetMethod("Push", [typeof(string), typeof(float), typeof(uint)])!);
        var poll = (Func<uint, bool>)Delegate.CreateDelegate(typeof(Func<uint, bool>), loc, loc.GetType().GetMethod("Poll")!);
        string[] ids = c.Manifest!.Input.Features.ToArray();
        uint t = 0;
        int answers = 0;
        long bytes = CSharpHost.MeasureAllocatedBytesPerCall(() =>
        {
            foreach (string id in ids)
            {
                push(id, -70.5f, t);
            }

            t += 1000;
            answers += poll(t) ? 1 : 0;
        });
        Assert.Equal(0, bytes);
        Assert.True(answers > 100, $"{answers} answers");
    }

    [Theory]
    [InlineData("kolakowski_mamba", "dynamic")]
    [InlineData("uji_mlp", "static")]
    public void TheModelWithItsRuntimeCompilesCleanUnderTheStrictFlags(string model, string scheme)
    {
        var c = GoldenModels.Compile(model, scheme);
        using var scratch = ScratchDirectory.Create("runtime-strict");
        var paths = System.IO.Directory.GetFiles(GoldenModels.EmitTo(c, "stm32", scratch.Path)).ToList();
        Assert.Contains(paths, p => p.EndsWith(model + "_runtime.c", StringComparison.Ordinal));
        Assert.Equal(string.Empty, CHost.CompileOnly(paths));
        scratch.MarkSucceeded();
    }

    [Fact]
    public void TheFirmwareChoosesTheArenasSectionThroughAMacro()
    {
        // NAME_ARENA_ATTRIBUTE (empty by default) is on the arena and every scratch buffer.
        var c = GoldenModels.Compile("kolakowski_mamba", "dynamic");
        using var scratch = ScratchDirectory.Create("arena-section");
        GoldenModels.EmitTo(c, "stm32", scratch.Path);

        string obj = scratch.File("model.o");
        var build = ProcessRunner.Run("gcc", ["-std=c99", "-O2", "-c", "kolakowski_mamba.c", "-o", obj, "-DKOLAKOWSKI_MAMBA_ARENA_ATTRIBUTE=__attribute__((section(\".sram2\")))"], scratch.Path, TimeSpan.FromMinutes(5));
        Assert.True(build.Succeeded, build.Describe());
        var table = ProcessRunner.Run("objdump", ["-t", obj], scratch.Path, TimeSpan.FromMinutes(1)).StandardOutput.Split('\n');
        foreach (string symbol in new[] { "kolakowski_mamba_arena", "kolakowski_mamba_scratch", "kolakowski_mamba_scratch_f32" })
        {
            Assert.Contains(table, l => l.Contains(" .sram2\t", StringComparison.Ordinal) && l.EndsWith(" " + symbol, StringComparison.Ordinal));
        }

        scratch.MarkSucceeded();
    }
}
