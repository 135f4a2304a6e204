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
        var cmd = new Command("check", "Check the model against RAM and flash budgets: exit 0 if it fits, 2 if not (naming the biggest buffers), 1 on other errors.\n\nExample:\n  tinyloc check examples/models/uji_mlp.tinyloc.json --ram-budget 64KiB --flash-budget 256KiB");
        cmd.Arguments.Add(manifest);
        common.AddTo(cmd);
        cmd.SetAction(r =>
        {
            var c = common.CompileAndPrint(r, manifest);
            if (c is null)
            {
                return Common.Failed;
            }

            int exit = Common.Exit(c);
            if (c.Report is { } rep)
            {
                var budgets = c.Options.Budgets;
                var table = new Table().AddColumns("", "used", "budget", "fits");
                table.AddRow("RAM", Fmt.Bytes(rep.RamBytes), budgets.RamBytes is long rb ? Fmt.Bytes(rb) : "-", budgets.RamBytes is long rb2 ? (rep.RamBytes <= rb2 ? "[green]yes[/]" : "[red]no[/]") : "-");
                table.AddRow("flash", Fmt.Bytes(rep.FlashBytes), budgets.FlashBytes is long fb ? Fmt.Bytes(fb) : "-", budgets.FlashBytes is long fb2 ? (rep.FlashBytes <= fb2 ? "[green]yes[/]" : "[red]no[/]") : "-");
                AnsiConsole.Write(table);
            }

            return exit;
        });
        return cmd;
    }
}
