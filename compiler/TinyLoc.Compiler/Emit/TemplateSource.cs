using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace TinyLoc.Compiler.Emit;

/// <summary>
/// Where templates come from: the copy of <c>mcu-templates/</c> embedded in the compiler, or a user
/// folder with the same layout (<c>--templates DIR</c>): one folder per target with a
/// <c>target.json</c>, and shared partials in <c>partials/*.hbs</c>.
/// </summary>
public sealed class TemplateSource
{
    private readonly Func<string, string?> _read;
    private readonly Func<IEnumerable<string>> _list;

    private TemplateSource(string description, Func<string, string?> read, Func<IEnumerable<string>> list)
    {
        Description = description;
        _read = read;
        _list = list;
    }

    /// <summary>Where the templates are, for diagnostics.</summary>
    public string Description { get; }

    public static TemplateSource Embedded { get; } = CreateEmbedded();

    /// <summary>
    /// A user's template folder. Only what the layout names is looked at: <c>*/target.json</c> one level down,
    /// <c>partials/*.hbs</c>, and the files a target names inside the folder; the tree is never walked (a folder
    /// such as <c>/</c> is not searched). Files are read as regular files of at most
    /// <see cref="Util.InputLimits.MaxTemplateBytes"/> (TL1012/TL1013).
    /// </summary>
    public static TemplateSource FromDirectory(string dir)
    {
        // An empty name is the current folder (Path.GetFullPath would throw).
        string root = Path.GetFullPath(dir.Length == 0 ? "." : dir);
        return new TemplateSource(root, rel => ReadInside(root, rel), () => LayoutFiles(root));
    }

    /// <summary>A file's text by path relative to the template root (with '/'), or null.</summary>
    public string? Read(string relativePath) => _read(relativePath);

    /// <summary>Target names: folders that hold a target.json, sorted.</summary>
    public IReadOnlyList<string> Targets() =>
        _list().Where(p => p.EndsWith("/target.json", StringComparison.Ordinal) && p.Count(c => c == '/') == 1)
            .Select(p => p.Substring(0, p.IndexOf('/'))).OrderBy(t => t, StringComparer.Ordinal).ToList();

    /// <summary>Partials by name (file stem), sorted.</summary>
    public IReadOnlyList<(string Name, string Text)> Partials() =>
        _list().Where(p => p.StartsWith("partials/", StringComparison.Ordinal) && p.EndsWith(".hbs", StringComparison.Ordinal))
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => (Path.GetFileNameWithoutExtension(p), Read(p) ?? string.Empty)).ToList();

    /// <summary>The text of <paramref name="rel"/> under <paramref name="root"/>, or null when it is missing or would lie outside it.</summary>
    private static string? ReadInside(string root, string rel)
    {
        string p = Path.GetFullPath(Path.Combine(root, rel.Replace('/', Path.DirectorySeparatorChar)));
        if (!p.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(p))
        {
            return null;
        }

        return Util.FileSource.Disk.ReadAllText(p, Util.InputLimits.MaxTemplateBytes, "a template");
    }

    /// <summary>The relative paths of <c>*/target.json</c> (one level down) and <c>partials/*.hbs</c>.</summary>
    private static IEnumerable<string> LayoutFiles(string root)
    {
        if (!Directory.Exists(root))
        {
            return Enumerable.Empty<string>();
        }

        var targets = Directory.EnumerateDirectories(root)
            .Where(d => File.Exists(Path.Combine(d, "target.json")))
            .Select(d => Path.GetFileName(d) + "/target.json");
        string partials = Path.Combine(root, "partials");
        var hbs = Directory.Exists(partials)
            ? Directory.EnumerateFiles(partials, "*.hbs", SearchOption.TopDirectoryOnly).Select(f => "partials/" + Path.GetFileName(f))
            : Enumerable.Empty<string>();
        return targets.Concat(hbs).ToList();
    }

    private static TemplateSource CreateEmbedded()
    {
        var asm = typeof(TemplateSource).GetTypeInfo().Assembly;
        const string prefix = "mcu-templates/";
        var names = asm.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        return new TemplateSource(
            "the embedded mcu-templates",
            rel =>
            {
                using var s = asm.GetManifestResourceStream(prefix + rel);
                if (s is null)
                {
                    return null;
                }

                using var r = new StreamReader(s);
                return r.ReadToEnd().Replace("\r\n", "\n");
            },
            () => names.Select(n => n.Substring(prefix.Length)));
    }
}
