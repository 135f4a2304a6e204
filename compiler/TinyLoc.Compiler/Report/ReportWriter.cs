using System.Globalization;
using System.Linq;
using System.Text;
using TinyLoc.Compiler.Json;
using TinyLoc.Compiler.Ops;
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
        AppendBytesTable(
            sb,
            "RAM",
            r.RamBytes,
            ($"arena (planned activations; lower bound {Fmt.Bytes(r.ArenaLowerBound)})", r.ArenaBytes),
            ("persistent state", r.StateBytes),
            ("scratch", r.ScratchBytes),
            (r.RuntimeStateBytes > 0 ? "input + output arrays (the runtime's window and outputs)" : "input + output arrays (the caller's)", r.InputBytes + r.OutputBytes),
            ("stack (estimate)", r.StackBytes),
            ("runtime state (row clock, reading ages, votes, counters; `--no-runtime` leaves it out)", r.RuntimeStateBytes));
        AppendBytesTable(
            sb,
            "Flash",
            r.FlashBytes,
            ("weights", r.WeightBytes),
            ("tables (biases, multipliers, shifts, lookup tables, labels)", r.TableBytes),
            ("code (estimate)", r.CodeBytes),
            ("runtime (code estimate, beacon table, model descriptor)", r.RuntimeFlashBytes));
        sb.Append($"The code estimate, with the library code the model calls, is for core `{r.Core}` (`--core`), fitted to {r.CoreFittedTo}; other compilers differ (README, \"The size report\").\n\n");
        if (r.UnrolledLayers > 0)
        {
            long delta = r.ModelFlashBytes - r.LoopedFlashBytes;
            string layers = r.UnrolledLayers == 1 ? "1 layer" : $"{r.UnrolledLayers} layers";
            string effect = delta >= 0 ? $"costs {Fmt.Bytes(delta)} B of flash" : $"saves {Fmt.Bytes(-delta)} B of flash (zero weights skipped)";
            sb.Append($"Unrolling {layers} {effect} against the looped form ({Fmt.Bytes(r.LoopedFlashBytes)} B); `--unroll none` gives the looped form.\n\n");
        }

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

        bool scheduled = r.Layers.Any(l => l.Schedule != "-");
        if (scheduled)
        {
            int loops = r.TimeLoops;
            sb.Append(loops == 0
                ? "Schedule: every node over the whole window (the schedule column says why).\n\n"
                : $"Schedule: {loops} time-fused loop{(loops == 1 ? string.Empty : "s")}, each taking one row (a time step, or a row of attention) through its chain of nodes before the next (rows and carries in the arena instead of whole-window tensors); the schedule column says where each node runs and why. `--schedule layer` runs every node over the whole window.\n\n");
        }

        string scheduleHead = scheduled ? " schedule |" : string.Empty;
        sb.Append($"## Layers\n\n| node | op | source | form | MACs | weights | tables | code | output bytes |{scheduleHead}\n|---|---|---|---|---:|---:|---:|---:|---:|{(scheduled ? "---|" : string.Empty)}\n");
        foreach (var l in r.Layers)
        {
            string schedule = scheduled ? $" {l.Schedule} |" : string.Empty;
            sb.Append($"| {l.Node} | {l.Op} | {l.Source} | {l.Form} | {Fmt.Bytes(l.Macs)} | {Fmt.Bytes(l.WeightBytes)} | {Fmt.Bytes(l.TableBytes)} | {Fmt.Bytes(l.CodeBytes)} | {Fmt.Bytes(l.OutputBytes)} |{schedule}\n");
        }

        if (r.Schemes.Count > 0)
        {
            sb.Append("\n## Linear layers by scheme\n\nFlash bytes of each linear layer (looped form) in every representation; a ratio above 1.00 means int8 is larger than float (fixed per-layer costs: scales, row sums, code).\n\n");
            var names = r.Schemes[0].Flash.Select(f => f.Scheme == "none" ? "float" : f.Scheme).ToList();
            sb.Append($"| layer | shape | {string.Join(" | ", names)} | dynamic / float |\n|---|---|{string.Concat(names.Select(_ => "---:|"))}---:|\n");
            foreach (var l in r.Schemes)
            {
                string ratio = (l["dynamic"] / (double)l["none"]).ToString("0.00", CultureInfo.InvariantCulture);
                sb.Append($"| {l.Layer} | {l.Out}×{l.In} | {string.Join(" | ", l.Flash.Select(f => Fmt.Bytes(f.Bytes)))} | {ratio} |\n");
            }
        }

        if (r.Dropped.Count > 0)
        {
            sb.Append($"\n## Dropped tensors\n\n{r.Dropped.Count} checkpoint tensors ({Fmt.Bytes(r.Dropped.Sum(d => d.Parameters))} parameters) are never read by the model and are not compiled:\n\n| tensor | parameters |\n|---|---:|\n");
            foreach (var d in r.Dropped)
            {
                sb.Append($"| {d.Name} | {Fmt.Bytes(d.Parameters)} |\n");
            }
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
            .Key("output").Value(r.OutputBytes).Key("stack_estimate").Value(r.StackBytes).Key("runtime_state").Value(r.RuntimeStateBytes).EndObject();
        w.Key("flash").BeginObject()
            .Key("total").Value(r.FlashBytes).Key("weights").Value(r.WeightBytes).Key("tables").Value(r.TableBytes)
            .Key("code_estimate").Value(r.CodeBytes).Key("runtime").Value(r.RuntimeFlashBytes).Key("core").Value(r.Core).Key("code_estimate_fitted_to").Value(r.CoreFittedTo).Key("looped_total").Value(r.LoopedFlashBytes).EndObject();
        if (budgets is not null)
        {
            w.Key("budgets").BeginObject().Key("ram").Raw(budgets.RamBytes?.ToString(CultureInfo.InvariantCulture) ?? "null")
                .Key("flash").Raw(budgets.FlashBytes?.ToString(CultureInfo.InvariantCulture) ?? "null").EndObject();
        }

        w.Key("layers").Raw("[");
        w.Raw(string.Join(",", r.Layers.Select(l =>
            $"\n    {{\"node\": {JsonWriter.Quote(l.Node)}, \"op\": {JsonWriter.Quote(l.Op)}, \"source\": {JsonWriter.Quote(l.Source)}, \"form\": {JsonWriter.Quote(l.Form)}, " +
            $"\"macs\": {l.Macs}, \"weights\": {l.WeightBytes}, \"tables\": {l.TableBytes}, \"code_estimate\": {l.CodeBytes}, \"output_bytes\": {l.OutputBytes}, \"schedule\": {JsonWriter.Quote(l.Schedule)}}}")));
        w.Raw("\n  ]");
        if (r.Schemes.Count > 0)
        {
            w.Key("linear_layers_by_scheme").Raw("[" + string.Join(",", r.Schemes.Select(l =>
                $"\n    {{\"layer\": {JsonWriter.Quote(l.Layer)}, \"out\": {l.Out}, \"in\": {l.In}, " + string.Join(", ", l.Flash.Select(f => $"{JsonWriter.Quote(f.Scheme)}: {f.Bytes}")) + "}")) + "\n  ]");
        }

        if (r.Dropped.Count > 0)
        {
            w.Key("dropped").Raw("[" + string.Join(",", r.Dropped.Select(d => $"\n    {{\"tensor\": {JsonWriter.Quote(d.Name)}, \"parameters\": {d.Parameters}}}")) + "\n  ]");
        }

        return w.EndObject().ToString();
    }

    /// <summary>
    /// Appends a two-column markdown table of byte counts: the heading row (<c>| HEADING | bytes |</c>), a row per
    /// part, the bold total, and a blank line.
    /// </summary>
    /// <param name="sb">The report being written.</param>
    /// <param name="heading">The first column's heading: what is counted (RAM, Flash).</param>
    /// <param name="total">The total row's bytes.</param>
    /// <param name="parts">Each row's label (markdown) and bytes, in order.</param>
    private static void AppendBytesTable(StringBuilder sb, string heading, long total, params (string Label, long Bytes)[] parts)
    {
        sb.Append($"| {heading} | bytes |\n|---|---:|\n");
        foreach (var (label, bytes) in parts)
        {
            sb.Append($"| {label} | {Fmt.Bytes(bytes)} |\n");
        }

        sb.Append($"| **total** | **{Fmt.Bytes(total)}** |\n\n");
    }

    private static string Share(long used, long budget) => budget == 0 ? "n/a" : (100.0 * used / budget).ToString("0.0", CultureInfo.InvariantCulture) + " %";
}
