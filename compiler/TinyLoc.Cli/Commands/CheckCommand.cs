using System;
using System.CommandLine;
using Spectre.Console;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Cli.Commands;

/// <summary><c>tinyloc check</c>: exit 2 if the model does not fit the budgets.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var manifest = Common.Manifest();
        var common = new Common.CompileOptionSet();
        var json = Common.Json("RAM and flash against the budgets");
        var cmd = new Command("check", "Check the model against RAM and flash budgets: exit 0 if it fits, 2 if not (naming the biggest buffers), 1 on other errors.\n\nExample:\n  tinyloc check examples/models/uji_mlp.tinyloc.json --ram-budget 64KiB --flash-budget 256KiB");
        cmd.Arguments.Add(manifest);
        common.AddTo(cmd);
        Common.Add(cmd, json);
        cmd.SetAction(r =>
        {
            var c = common.CompileAndPrint(r, manifest);
            if (c is null)
            {
                return Common.Failed;
            }

            int exit = Common.Exit(c);
            if (r.GetValue(json))
            {
                Console.Out.Write(Common.JsonObject(w =>
                {
                    w.WriteNumber("exit", exit);
                    if (c.Report is { } report)
                    {
                        var b = c.Options.Budgets;
                        void Line(string name, long used, long? budget)
                        {
                            w.WriteStartObject(name);
                            w.WriteNumber("used", used);
                            if (budget is long limit)
                            {
                                w.WriteNumber("budget", limit);
                                w.WriteBoolean("fits", used <= limit);
                            }
                            else
                            {
                                w.WriteNull("budget");
                                w.WriteNull("fits");
                            }

                            w.WriteEndObject();
                        }

                        Line("ram", report.RamBytes, b.RamBytes);
                        Line("flash", report.FlashBytes, b.FlashBytes);
                    }

                    Common.WriteDiagnostics(w, c.Diagnostics);
                }));
                return exit;
            }

            if (c.Report is { } rep)
            {
                var budgets = c.Options.Budgets;
                var table = new Table().AddColumns("", "used", "budget", "fits");
                table.AddRow("RAM", Fmt.Bytes(rep.RamBytes), budgets.RamBytes is long rb ? Fmt.Bytes(rb) : "-", budgets.RamBytes is long rb2 ? (rep.RamBytes <= rb2 ? "[green]yes[/]" : "[red]no[/]") : "-");
                table.AddRow("flash", Fmt.Bytes(rep.FlashBytes), budgets.FlashBytes is long fb ? Fmt.Bytes(fb) : "-", budgets.FlashBytes is long fb2 ? (rep.FlashBytes <= fb2 ? "[green]yes[/]" : "[red]no[/]") : "-");
                Common.Console().Write(table);
            }

            return exit;
        });
        return cmd;
    }
}
