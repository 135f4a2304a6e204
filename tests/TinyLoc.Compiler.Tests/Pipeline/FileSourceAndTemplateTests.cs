using System.Collections.Generic;
using System.IO;
using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Tests.Golden;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Compiler.Util;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Compiler.Tests.Pipeline;

public sealed class FileSourceAndTemplateTests
{
    [Fact]
    public void FilesHandedOverInMemoryCompileToTheSameCode()
    {
        string manifest = GoldenModels.Manifest("tiny_tanh_cls");
        var disk = GoldenModels.Compile("tiny_tanh_cls", "static");
        var files = new Dictionary<string, byte[]>
        {
            [manifest] = File.ReadAllBytes(manifest),
            [disk.Manifest!.CheckpointPath] = File.ReadAllBytes(disk.Manifest.CheckpointPath),
        };
        var mem = Compilation.Create(manifest, disk.Options with { Files = FileSource.InMemory(files) });
        Assert.True(mem.Success, string.Join("\n", mem.Diagnostics.Items));
        Assert.Equal(disk.ContentHash, mem.ContentHash);
        Assert.Equal(disk.Emit("stm32")!.Select(f => f.Content), mem.Emit("stm32")!.Select(f => f.Content));

        var missing = Compilation.Create(manifest, disk.Options with { Files = FileSource.InMemory(new Dictionary<string, byte[]> { [manifest] = files[manifest] }) });
        var d = Assert.Single(missing.Diagnostics.Errors);
        Assert.Equal("TL1001", d.Id);
        Assert.Contains("tiny_tanh_cls.pt", d.ToString());
    }

    [Fact]
    public void ATemplateFolderOverridesTheEmbeddedTemplates()
    {
        var c = GoldenModels.Compile("kolakowski_mlp", "static");
        string repoTemplates = Path.Combine(RepoPaths.RepoRoot, "mcu-templates");
        Assert.Equal(c.Emit("stm32")!.Select(f => f.Content), c.Emit("stm32", TemplateSource.FromDirectory(repoTemplates))!.Select(f => f.Content));

        using var dir = ScratchDirectory.Create("templates");
        foreach (var f in Directory.EnumerateFiles(repoTemplates, "*", SearchOption.AllDirectories))
        {
            string to = Path.Combine(dir.Path, Path.GetRelativePath(repoTemplates, f));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(f, to);
        }

        Directory.CreateDirectory(Path.Combine(dir.Path, "myboard"));
        File.WriteAllText(Path.Combine(dir.Path, "myboard", "target.json"), "{ \"language\": \"c\", \"files\": [ { \"path\": \"model_{{name}}.c\", \"template\": \"board.c.hbs\" } ] }");
        File.WriteAllText(Path.Combine(dir.Path, "myboard", "board.c.hbs"), "/* my board, {{NAME}}_ARENA_BYTES = {{ram.arena}} */\n{{> c_source}}");
        var files = c.Emit("myboard", TemplateSource.FromDirectory(dir.Path))!;
        var file = Assert.Single(files);
        Assert.Equal("model_kolakowski_mlp.c", file.Path);
        Assert.StartsWith("/* my board, KOLAKOWSKI_MLP_ARENA_BYTES = 96 */", file.Content);

        Assert.Null(c.Emit("nosuchboard", TemplateSource.FromDirectory(dir.Path)));
        Assert.Contains(c.Diagnostics.Errors, e => e.Id == "TL5001" && e.Message.Contains("myboard"));
    }
}
