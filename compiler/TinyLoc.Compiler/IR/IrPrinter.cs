using System.Linq;
using System.Text;

namespace TinyLoc.Compiler.IR;

/// <summary>Prints a graph deterministically, one line per value and node (<c>tinyloc compile --dump-ir</c>).</summary>
public static class IrPrinter
{
    public static string Print(Graph graph, string title)
    {
        var sb = new StringBuilder();
        sb.Append("graph ").Append(title).Append('\n');
        sb.Append("  input  %").Append(graph.Input).Append(": ").Append(graph[graph.Input].TypeText).Append('\n');
        foreach (var n in graph.Nodes)
        {
            var v = graph[n.Output];
            string args = string.Join(", ", n.Inputs.Select(i => "%" + i));
            string attrs = n.Op.Describe(n);
            string form = n.Op.CanUnroll ? " form=" + n.Form.ToString().ToLowerInvariant() : string.Empty;
            sb.Append($"  %{n.Output}: {v.TypeText} = {n.Op.Name}({args})");
            if (attrs.Length > 0)
            {
                sb.Append(' ').Append(attrs);
            }

            sb.Append(form).Append($"  # {n.Name} <- {n.Source}\n");
        }

        sb.Append("  output %").Append(graph.Output).Append('\n');
        return sb.ToString();
    }
}
