using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Text;
using TinyLoc.Tests.Shared;

namespace TinyLoc.Compiler.Tests.Security.Corpus;

/// <summary>The folder one case writes its files into (a fresh folder under the corpus's temp root).</summary>
internal sealed class CaseFolder
{
    public CaseFolder(string path)
    {
        Path = path;
        Directory.CreateDirectory(path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, byte[] bytes)
    {
        string p = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(p)!);
        System.IO.File.WriteAllBytes(p, bytes);
        return p;
    }

    public string WriteText(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    /// <summary>A gzip file of <paramref name="repeat"/> copies of <paramref name="unit"/> (fast: bombs compress well).</summary>
    public string WriteGzip(string name, string head, string unit, long repeat, string tail = "")
    {
        string p = File(name);
        using var file = System.IO.File.Create(p);
        using var gz = new GZipStream(file, CompressionLevel.Fastest);
        Append(gz, head, 1);
        Append(gz, unit, repeat);
        Append(gz, tail, 1);
        return p;
    }

    /// <summary>A copy of a file of tests/testdata.</summary>
    public string Copy(string testDataPath, string name) =>
        Write(name, System.IO.File.ReadAllBytes(System.IO.Path.Combine(RepoPaths.TestData, testDataPath)));

    public string Link(string name, string target)
    {
        string p = File(name);
        System.IO.File.CreateSymbolicLink(p, target);
        return p;
    }

    public string Folder(string name)
    {
        string p = File(name);
        Directory.CreateDirectory(p);
        return p;
    }

    /// <summary>A named pipe (opening it for reading would block until a writer comes: the compiler must never open it).</summary>
    public string Fifo(string name)
    {
        string p = File(name);
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", p) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        if (mkfifo.ExitCode != 0)
        {
            throw new InvalidOperationException("mkfifo failed for " + p);
        }

        return p;
    }

    /// <summary>A sparse file of <paramref name="bytes"/> bytes (no disk or time spent on its zeros).</summary>
    public string Sparse(string name, long bytes)
    {
        string p = File(name);
        using var f = System.IO.File.Create(p);
        f.SetLength(bytes);
        return p;
    }

    private static void Append(Stream s, string text, long repeat)
    {
        if (text.Length == 0 || repeat <= 0)
        {
            return;
        }

        byte[] unit = Encoding.UTF8.GetBytes(text);
        byte[] block = new byte[Math.Max(unit.Length, (1 << 20) / unit.Length * unit.Length)];
        for (int i = 0; i + unit.Length <= block.Length; i += unit.Length)
        {
            Buffer.BlockCopy(unit, 0, block, i, unit.Length);
        }

        long perBlock = block.Length / unit.Length;
        for (long left = repeat; left > 0; left -= perBlock)
        {
            long n = Math.Min(left, perBlock);
            s.Write(block, 0, (int)(n * unit.Length));
        }
    }
}
