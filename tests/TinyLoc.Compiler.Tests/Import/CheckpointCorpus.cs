using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace TinyLoc.Compiler.Tests.Import;

/// <summary>
/// The committed checkpoint corpus in <c>tests/testdata/checkpoints</c> (made by make_checkpoints.py) and its
/// <c>expected.json</c>. Found from this source file's path, so it works with any <c>--artifacts-path</c>.
/// </summary>
internal static class CheckpointCorpus
{
    public static string Directory { get; } = Locate();

    public static string PathOf(string fileName) => System.IO.Path.Combine(Directory, fileName);

    /// <summary>Every good file's tensors, in file order, from expected.json.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<ExpectedTensor>> Expected { get; } = LoadExpected();

    private static IReadOnlyDictionary<string, IReadOnlyList<ExpectedTensor>> LoadExpected()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(PathOf("expected.json")));
        var result = new Dictionary<string, IReadOnlyList<ExpectedTensor>>(StringComparer.Ordinal);
        foreach (var file in document.RootElement.GetProperty("files").EnumerateObject())
        {
            result[file.Name] = file.Value.EnumerateArray().Select(t => new ExpectedTensor(
                t.GetProperty("name").GetString()!,
                Enum.Parse<TinyLoc.Compiler.Import.ElementType>(t.GetProperty("dtype").GetString()!),
                t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray(),
                t.GetProperty("bits").EnumerateArray()
                    .Select(b => uint.Parse(b.GetString()!, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture))
                    .ToArray())).ToList();
        }

        return result;
    }

    private static string Locate([CallerFilePath] string thisFile = "")
    {
        string fromSource = System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(thisFile)!, "..", "..", "testdata", "checkpoints"));
        if (System.IO.Directory.Exists(fromSource))
        {
            return fromSource;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "tests", "testdata", "checkpoints");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/testdata/checkpoints was not found from " + thisFile);
    }
}

/// <summary>One tensor of expected.json: the exact float32 bits PyTorch's <c>tensor.float()</c> gives.</summary>
internal sealed record ExpectedTensor(string Name, TinyLoc.Compiler.Import.ElementType StoredAs, int[] Shape, uint[] Bits);

/// <summary>A folder under the temp path, deleted at dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tinyloc-import-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
