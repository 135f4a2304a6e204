using System.Collections.Generic;
using System.Linq;

namespace TinyLoc.Compiler.Diagnostics;

/// <summary>Collects diagnostics for one compilation; stages check <see cref="HasErrors"/> before going on.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = new();

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors => _items.Any(d => d.Severity == Severity.Error);

    public IEnumerable<Diagnostic> Errors => _items.Where(d => d.Severity == Severity.Error);

    public Diagnostic Report(DiagnosticDescriptor descriptor, SourceLocation location, params object[] args)
    {
        var d = new Diagnostic(descriptor, location, descriptor.Format(args));
        _items.Add(d);
        return d;
    }

    public void Add(Diagnostic diagnostic) => _items.Add(diagnostic);

    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);

    /// <summary>Warnings of one id shown before the rest are summarised (a checkpoint with 100,000 unused tensors gives 100,000).</summary>
    public const int MaxWarningsShownPerId = 10;

    /// <summary>
    /// The lines to show a person, in order: every error and info, the first <paramref name="maxWarningsPerId"/>
    /// warnings of each id, and then, per id with more, one line saying how many were not shown.
    /// </summary>
    public IEnumerable<string> ForDisplay(int maxWarningsPerId = MaxWarningsShownPerId)
    {
        var (shown, hidden) = Capped(maxWarningsPerId);
        foreach (var d in shown)
        {
            yield return d.ToString();
        }

        foreach (var h in hidden)
        {
            yield return $"tinyloc: warning {h.Id}: {HiddenText(h)}";
        }
    }

    /// <summary>
    /// The diagnostics to show, in order (every error and info, the first <paramref name="maxWarningsPerId"/>
    /// warnings of each id), and per id with more warnings than that, how many there were; the command line
    /// and the source generator both show this.
    /// </summary>
    public (IReadOnlyList<Diagnostic> Shown, IReadOnlyList<HiddenWarnings> Hidden) Capped(int maxWarningsPerId = MaxWarningsShownPerId)
    {
        var shown = new List<Diagnostic>();
        var warnings = new Dictionary<string, int>();
        var order = new List<string>();
        foreach (var d in _items)
        {
            if (d.Severity != Severity.Warning)
            {
                shown.Add(d);
                continue;
            }

            if (!warnings.TryGetValue(d.Id, out int n))
            {
                order.Add(d.Id);
            }

            warnings[d.Id] = n + 1;
            if (n < maxWarningsPerId)
            {
                shown.Add(d);
            }
        }

        var hidden = order.Where(id => warnings[id] > maxWarningsPerId).Select(id => new HiddenWarnings(id, warnings[id] - maxWarningsPerId, warnings[id])).ToList();
        return (shown, hidden);
    }

    /// <summary>What the summary of <paramref name="hidden"/> says, after its id.</summary>
    public static string HiddenText(HiddenWarnings hidden) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0:N0} more like the above not shown ({1:N0} in all)", hidden.Count, hidden.Total);
}

/// <summary>Warnings of one id that were not shown: <paramref name="Count"/> of <paramref name="Total"/>.</summary>
public sealed record HiddenWarnings(string Id, int Count, int Total);

/// <summary>
/// Thrown inside a stage to abandon it with one diagnostic; caught by the stage's public entry point
/// (never escapes the library).
/// </summary>
public sealed class DiagnosticException : System.Exception
{
    public DiagnosticException(Diagnostic diagnostic)
        : base(diagnostic.ToString())
    {
        Diagnostic = diagnostic;
    }

    public DiagnosticException(DiagnosticDescriptor descriptor, SourceLocation location, params object[] args)
        : this(new Diagnostic(descriptor, location, descriptor.Format(args)))
    {
    }

    public Diagnostic Diagnostic { get; }
}
