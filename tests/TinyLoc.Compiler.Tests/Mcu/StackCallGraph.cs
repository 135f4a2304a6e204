using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace TinyLoc.Compiler.Tests.Mcu;

/// <summary>
/// gcc's call graph with stack usage (<c>-fcallgraph-info=su</c>, a VCG file per object): each function's
/// frame in bytes and the calls between functions, from which the deepest stack of a call is computed.
/// Functions gcc only calls (library routines) have no frame in the file and count as 0.
/// </summary>
public sealed partial class StackCallGraph
{
    private readonly Dictionary<string, int> _frames;
    private readonly Dictionary<string, List<string>> _calls;

    private StackCallGraph(Dictionary<string, int> frames, Dictionary<string, List<string>> calls)
    {
        _frames = frames;
        _calls = calls;
    }

    /// <summary>Every function with a frame, by its name (gcc's suffixes such as <c>.constprop.0</c> kept).</summary>
    public IReadOnlyDictionary<string, int> Frames => _frames;

    /// <summary>Reads a <c>.ci</c> file; an empty graph when it does not exist.</summary>
    /// <param name="path">The file.</param>
    public static StackCallGraph Load(string path) => Parse(File.Exists(path) ? File.ReadAllText(path) : string.Empty);

    /// <summary>Parses the VCG text: <c>node: { title: "T" label: "name\nfile:line:col\nN bytes (static)" }</c> and <c>edge: { sourcename: "A" targetname: "B" ... }</c>.</summary>
    /// <param name="text">The file's text.</param>
    public static StackCallGraph Parse(string text)
    {
        var frames = new Dictionary<string, int>(StringComparer.Ordinal);
        var calls = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (Match m in Node().Matches(text))
        {
            frames[Name(m.Groups[1].Value)] = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        }

        foreach (Match m in Edge().Matches(text))
        {
            string from = Name(m.Groups[1].Value);
            if (!calls.TryGetValue(from, out var list))
            {
                calls[from] = list = [];
            }

            list.Add(Name(m.Groups[2].Value));
        }

        return new StackCallGraph(frames, calls);
    }

    /// <summary>The frame of <paramref name="function"/> (0 when unknown).</summary>
    /// <param name="function">A function name.</param>
    public int Frame(string function) => _frames.TryGetValue(function, out int b) ? b : 0;

    /// <summary>The deepest stack below and including <paramref name="function"/>: its frame plus the deepest of its callees.</summary>
    /// <param name="function">A function name.</param>
    public int Deepest(string function) => Deepest(function, []);

    private int Deepest(string function, HashSet<string> onPath)
    {
        if (!onPath.Add(function))
        {
            throw new InvalidOperationException($"recursion through {function}: the generated code must not recurse");
        }

        int below = _calls.TryGetValue(function, out var callees) ? callees.Select(c => Deepest(c, onPath)).DefaultIfEmpty(0).Max() : 0;
        onPath.Remove(function);
        return Frame(function) + below;
    }

    /// <summary>"file.c:name.constprop.0" → "name.constprop.0" (static functions carry their file).</summary>
    private static string Name(string title) => title[(title.IndexOf(':') + 1)..];

    [GeneratedRegex(@"node: \{ title: ""([^""]+)"" label: ""[^""]*?\\n(\d+) bytes", RegexOptions.CultureInvariant)]
    private static partial Regex Node();

    [GeneratedRegex(@"edge: \{ sourcename: ""([^""]+)"" targetname: ""([^""]+)""", RegexOptions.CultureInvariant)]
    private static partial Regex Edge();
}
