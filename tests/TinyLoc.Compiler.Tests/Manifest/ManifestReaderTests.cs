using System.IO;
using System.Linq;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Manifest;
using TinyLoc.Compiler.Tests.Harness;
using TinyLoc.Tests.Shared;
using Xunit;

namespace TinyLoc.Compiler.Tests.Manifest;

/// <summary>Every malformed manifest in tests/testdata/manifests gives its TL id, the file, the position and the field.</summary>
public sealed class ManifestReaderTests
{
    private const string Good = """
        {
          "tinyloc": 1,
          "name": "m",
          "checkpoint": "m.pt",
          "family": "mlp",
          "architecture": { "layers": ["fc1", "fc2"], "activation": "relu" },
          "input": { "features": ["a", "b"], "rssi_range": [-100, 0], "missing_value": 100 },
          "output": { "kind": "classification", "labels": ["x", "y"] }
        }
        """;

    [Fact]
    public void AGoodManifestParsesWithDefaults()
    {
        var bag = new DiagnosticBag();
        var m = ManifestReader.Parse("/models/m.tinyloc.json", Good, bag);
        Assert.False(bag.HasErrors, string.Join("\n", bag.Items));
        Assert.Equal("static", m!.Quantization.Scheme);
        Assert.Equal(1, m.Input.Window);
        Assert.Equal(100f, m.Input.MissingValue);
        Assert.Equal(Path.GetFullPath("/models/m.pt"), m.CheckpointPath);
        Assert.Equal(2, m.Output.Count);
    }

    [Theory]
    [InlineData("\"name\": \"m\",", "\"name\": \"m\", \"colour\": 3,", "TL1102", "colour", 3)]
    [InlineData("\"family\": \"mlp\",", "\"family\": \"mlp\", \"architcture\": {},", "TL1102", "architcture", 5)]
    [InlineData("\"checkpoint\": \"m.pt\",", "", "TL1103", "checkpoint", 1)]
    [InlineData("\"tinyloc\": 1,", "\"tinyloc\": 2,", "TL1106", "tinyloc", 2)]
    [InlineData("\"family\": \"mlp\"", "\"family\": \"transformer\"", "TL1105", "family", 5)]
    [InlineData("\"rssi_range\": [-100, 0]", "\"rssi_range\": [0, -100]", "TL1105", "input.rssi_range", 7)]
    [InlineData("\"labels\": [\"x\", \"y\"]", "\"labels\": \"x\"", "TL1104", "output.labels", 8)]
    [InlineData("\"name\": \"m\"", "\"name\": \"My Model\"", "TL1105", "name", 3)]
    [InlineData("\"activation\": \"relu\"", "\"activation\": \"gelu\"", "TL1105", "architecture.activation", 6)]
    public void MalformedManifestsNameTheFieldAndLine(string find, string replace, string id, string field, int line)
    {
        var bag = new DiagnosticBag();
        Assert.Null(ManifestReader.Parse("bad.tinyloc.json", Good.Replace(find, replace), bag));
        var d = Assert.Single(bag.Items);
        Assert.Equal(id, d.Id);
        Assert.Equal("bad.tinyloc.json", d.Location.File);
        Assert.Equal(field, d.Location.Field);
        Assert.Equal(line, d.Location.Line);
        Assert.Contains("bad.tinyloc.json(" + line, d.ToString());
    }

    [Fact]
    public void UnknownFieldsSuggestTheClosestKnownOne()
    {
        var bag = new DiagnosticBag();
        ManifestReader.Parse("m.json", Good.Replace("\"family\": \"mlp\",", "\"family\": \"mlp\", \"architecure\": 1,"), bag);
        Assert.Contains("did you mean 'architecture'", bag.Items.Single().Message);
    }

    [Fact]
    public void InvalidJsonGivesLineAndColumn()
    {
        var bag = new DiagnosticBag();
        Assert.Null(ManifestReader.Parse("m.json", "{\n  \"tinyloc\": 1,\n  \"name\" \"m\"\n}", bag));
        var d = bag.Items.Single();
        Assert.Equal("TL1101", d.Id);
        Assert.Equal(3, d.Location.Line);
        Assert.Equal(10, d.Location.Column);
    }

    [Fact]
    public void AMissingFileIsADiagnostic()
    {
        var bag = new DiagnosticBag();
        Assert.Null(ManifestReader.Read(Path.Combine(RepoPaths.TestData, "no-such.tinyloc.json"), bag));
        Assert.Equal("TL1001", bag.Items.Single().Id);
    }

    [Theory]
    [InlineData("missing_tensor.tinyloc.json", "TL1201", "fc9.weight")]
    [InlineData("wrong_shape.tinyloc.json", "TL1203", "fc1.weight")]
    [InlineData("unknown_field.tinyloc.json", "TL1102", "quantisation")]
    [InlineData("bad_checkpoint.tinyloc.json", "TL1002", "truncated")]
    [InlineData("evil_checkpoint.tinyloc.json", "TL1004", "posix.system")]
    [InlineData("unknown_scheme.tinyloc.json", "TL3001", "int4")]
    [InlineData("no_ranges.tinyloc.json", "TL3002", "input.norm")]
    public void TheCompilerTurnsEveryBrokenModelIntoOneDiagnostic(string file, string id, string mentions)
    {
        // These manifests share checkpoints one folder up, which only the user may allow.
        string path = Path.Combine(RepoPaths.TestData, "manifests", file);
        var c = Compilation.Create(path, new CompileOptions { AllowOutsidePaths = true });
        Assert.False(c.Success);
        var d = Assert.Single(c.Diagnostics.Errors);
        Assert.Equal(id, d.Id);
        Assert.Contains(mentions, d.ToString());
        Assert.Contains(Path.GetFileName(d.Location.File), d.ToString());
    }

    [Fact]
    public void AManifestCannotReachOutsideItsFolderUnlessTheUserAllowsIt()
    {
        string path = Path.Combine(RepoPaths.TestData, "manifests", "evil_checkpoint.tinyloc.json");
        var c = Compilation.Create(path);
        var d = Assert.Single(c.Diagnostics.Errors);
        Assert.Equal("TL1014", d.Id);
        Assert.Equal(path, d.Location.File);
        Assert.Equal("checkpoint", d.Location.Field);
        Assert.Null(c.Weights);
    }
}
