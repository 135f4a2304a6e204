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
