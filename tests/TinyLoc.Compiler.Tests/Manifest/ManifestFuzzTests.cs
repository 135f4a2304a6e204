using System;
using System.IO;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Manifest;
using TinyLoc.Compiler.Tests.Golden;
using TinyLoc.Compiler.Util;
using Xunit;

namespace TinyLoc.Compiler.Tests.Manifest;

/// <summary>Every failure is a diagnostic: thousands of damaged manifests, and none makes the compiler throw.</summary>
public sealed class ManifestFuzzTests
{
    [Fact]
    public void DamagedManifestsGiveDiagnosticsNeverExceptions()
    {
        string path = GoldenModels.Manifest("tiny_relu_reg");
        string text = File.ReadAllText(path);
        var rng = new Random(20261121);
        const string alphabet = "{}[]\",:0123456789-.eE tnfrulasx\\\n";
        int rejected = 0;
        for (int i = 0; i < 3000; i++)
        {
            char[] c = text.ToCharArray();
            int edits = 1 + rng.Next(4);
            for (int e = 0; e < edits; e++)
            {
                c[rng.Next(c.Length)] = alphabet[rng.Next(alphabet.Length)];
            }

            string mutated = new string(c);
            if (i % 3 == 0)
            {
                mutated = mutated.Substring(0, rng.Next(mutated.Length));
            }

            var bag = new DiagnosticBag();
            var m = ManifestReader.Parse(path, mutated, bag);
            Assert.True(m is not null || bag.HasErrors, "a rejected manifest must say why");
            if (m is null)
            {
                rejected++;
                Assert.All(bag.Items, d => Assert.Equal(path, d.Location.File));
                continue;
            }

            // It parsed: the whole pipeline must still answer with a result or diagnostics.
            var files = new System.Collections.Generic.Dictionary<string, byte[]>
            {
                [path] = System.Text.Encoding.UTF8.GetBytes(mutated),
                [m.CheckpointPath] = File.Exists(m.CheckpointPath) ? File.ReadAllBytes(m.CheckpointPath) : Array.Empty<byte>(),
            };
            var compiled = Compilation.Create(path, new CompileOptions { Files = FileSource.InMemory(files) });
            Assert.True(compiled.Success || compiled.Diagnostics.HasErrors);
        }

        Assert.InRange(rejected, 1500, 3000);
    }
}
