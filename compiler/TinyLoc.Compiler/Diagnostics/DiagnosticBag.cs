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
        var warnings = new Dictionary<string, int>();
        foreach (var d in _items)
        {
            if (d.Severity != Severity.Warning)
            {
                yield return d.ToString();
                continue;
            }

            warnings.TryGetValue(d.Id, out int n);
            warnings[d.Id] = n + 1;
            if (n < maxWarningsPerId)
            {
                yield return d.ToString();
            }
        }

        foreach (var w in warnings.Where(w => w.Value > maxWarningsPerId))
        {
            yield return $"tinyloc: warning {w.Key}: {w.Value - maxWarningsPerId:N0} more like the above not shown ({w.Value:N0} in all)";
        }
    }
}

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
