using System.Globalization;
using System.Linq;
using System.Text;
using TinyLoc.Compiler.Json;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Compiler.Report;

/// <summary>The size report as markdown (for people) and JSON (for CI diffs).</summary>
public static class ReportWriter
{
    public static string Markdown(SizeReport r, Budgets? budgets = null)
    {
        var sb = new StringBuilder();
        sb.Append($"# {r.Model}: size report\n\n");
        sb.Append($"Scheme `{r.Scheme}`, unroll `{r.Unroll}`, {Fmt.Bytes(r.Macs)} MACs per inference, model hash `{r.Hash}`.\n\n");
        sb.Append("| RAM | bytes |\n|---|---:|\n");
        sb.Append($"| arena (planned activations; lower bound {Fmt.Bytes(r.ArenaLowerBound)}) | {Fmt.Bytes(r.ArenaBytes)} |\n");
        sb.Append($"| persistent state | {Fmt.Bytes(r.StateBytes)} |\n");
        sb.Append($"| scratch | {Fmt.Bytes(r.ScratchBytes)} |\n");
        sb.Append($"| input + output arrays (the caller's) | {Fmt.Bytes(r.InputBytes + r.OutputBytes)} |\n");
        sb.Append($"| stack (estimate) | {Fmt.Bytes(r.StackBytes)} |\n");
        sb.Append($"| **total** | **{Fmt.Bytes(r.RamBytes)}** |\n\n");
        sb.Append("| Flash | bytes |\n|---|---:|\n");
        sb.Append($"| weights | {Fmt.Bytes(r.WeightBytes)} |\n");
        sb.Append($"| tables (biases, multipliers, shifts, lookup tables, labels) | {Fmt.Bytes(r.TableBytes)} |\n");
        sb.Append($"| code (estimate) | {Fmt.Bytes(r.CodeBytes)} |\n");
        sb.Append($"| **total** | **{Fmt.Bytes(r.FlashBytes)}** |\n\n");
        if (budgets is not null && (budgets.RamBytes is not null || budgets.FlashBytes is not null))
        {
            sb.Append("| Budget | used | budget | share |\n|---|---:|---:|---:|\n");
            if (budgets.RamBytes is long ram)
            {
                sb.Append($"| RAM | {Fmt.Bytes(r.RamBytes)} | {Fmt.Bytes(ram)} | {Share(r.RamBytes, ram)} |\n");
            }

            if (budgets.FlashBytes is long flash)
            {
                sb.Append($"| flash | {Fmt.Bytes(r.FlashBytes)} | {Fmt.Bytes(flash)} | {Share(r.FlashBytes, flash)} |\n");
            }

            sb.Append('\n');
        }

        sb.Append("## Layers\n\n| node | op | source | form | MACs | weights | tables | code | output bytes |\n|---|---|---|---|---:|---:|---:|---:|---:|\n");
        foreach (var l in r.Layers)
        {
            sb.Append($"| {l.Node} | {l.Op} | {l.Source} | {l.Form} | {Fmt.Bytes(l.Macs)} | {Fmt.Bytes(l.WeightBytes)} | {Fmt.Bytes(l.TableBytes)} | {Fmt.Bytes(l.CodeBytes)} | {Fmt.Bytes(l.OutputBytes)} |\n");
        }

        return sb.ToString();
    }

    public static string Json(SizeReport r, Budgets? budgets = null)
    {
        var w = new JsonWriter().BeginObject();
        w.Key("model").Value(r.Model).Key("scheme").Value(r.Scheme).Key("unroll").Value(r.Unroll).Key("hash").Value(r.Hash).Key("macs").Value(r.Macs);
        w.Key("ram").BeginObject()
            .Key("total").Value(r.RamBytes).Key("arena").Value(r.ArenaBytes).Key("arena_lower_bound").Value(r.ArenaLowerBound)
            .Key("state").Value(r.StateBytes).Key("scratch").Value(r.ScratchBytes).Key("input").Value(r.InputBytes)
            .Key("output").Value(r.OutputBytes).Key("stack_estimate").Value(r.StackBytes).EndObject();
        w.Key("flash").BeginObject()
            .Key("total").Value(r.FlashBytes).Key("weights").Value(r.WeightBytes).Key("tables").Value(r.TableBytes)
            .Key("code_estimate").Value(r.CodeBytes).EndObject();
        if (budgets is not null)
        {
            w.Key("budgets").BeginObject().Key("ram").Raw(budgets.RamBytes?.ToString(CultureInfo.InvariantCulture) ?? "null")
                .Key("flash").Raw(budgets.FlashBytes?.ToString(CultureInfo.InvariantCulture) ?? "null").EndObject();
        }

        w.Key("layers").Raw("[");
        w.Raw(string.Join(",", r.Layers.Select(l =>
            $"\n    {{\"node\": {JsonWriter.Quote(l.Node)}, \"op\": {JsonWriter.Quote(l.Op)}, \"source\": {JsonWriter.Quote(l.Source)}, \"form\": {JsonWriter.Quote(l.Form)}, " +
            $"\"macs\": {l.Macs}, \"weights\": {l.WeightBytes}, \"tables\": {l.TableBytes}, \"code_estimate\": {l.CodeBytes}, \"output_bytes\": {l.OutputBytes}}}")));
        w.Raw("\n  ]");
        return w.EndObject().ToString();
    }

    private static string Share(long used, long budget) => budget == 0 ? "n/a" : (100.0 * used / budget).ToString("0.0", CultureInfo.InvariantCulture) + " %";
}
