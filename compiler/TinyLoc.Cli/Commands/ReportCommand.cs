using System;
using System.CommandLine;
using TinyLoc.Compiler.Report;

namespace TinyLoc.Cli.Commands;

/// <summary><c>tinyloc report</c>: the size report as markdown or JSON.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var manifest = Common.Manifest();
        var json = new Option<bool>("--json") { Description = "Print JSON (stable key order, for CI diffs) instead of markdown." };
        var plan = new Option<bool>("--plan") { Description = "Append the memory plan (offset, size and lifetime of every arena buffer)." };
        var common = new Common.CompileOptionSet();
        var cmd = new Command("report", "Print the RAM/flash size report: arena (with its lower bound), state, scratch, I/O, stack; weights, tables, code; per layer.\n\nExample:\n  tinyloc report examples/models/uji_mlp.tinyloc.json --json");
        cmd.Arguments.Add(manifest);
        Common.Add(cmd, json, plan);
        common.AddTo(cmd);
        cmd.SetAction(r =>
        {
            var c = common.CompileAndPrint(r, manifest);
            if (c?.Report is null)
            {
                return Common.Failed;
            }

            var budgets = c.Options.Budgets;
            Console.Write(r.GetValue(json) ? ReportWriter.Json(c.Report, budgets) : ReportWriter.Markdown(c.Report, budgets));
            if (r.GetValue(plan))
            {
                Console.Write("\n" + c.Plan!.Print());
            }

            return Common.Exit(c);
        });
        return cmd;
    }
}
