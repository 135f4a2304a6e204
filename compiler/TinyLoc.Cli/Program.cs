using System.CommandLine;
using TinyLoc.Cli.Commands;

namespace TinyLoc.Cli;

/// <summary>The <c>tinyloc</c> command line.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand(
            "tinyloc: compile trained indoor-localisation models (PyTorch .pt or .safetensors + a NAME.tinyloc.json manifest)\n" +
            "into allocation-free int8 C99 (STM32, ESP-IDF) and C# (nanoFramework, .NET, Meadow), with a RAM/flash report.\n\n" +
            "Examples:\n" +
            "  tinyloc init model.pt --labels-file classes.txt --rssi-range -104,0 --missing 100\n" +
            "  tinyloc compile examples/models/uji_mlp.tinyloc.json --target stm32 --out out/uji\n" +
            "  tinyloc report examples/models/uji_mlp.tinyloc.json --scheme none\n" +
            "  tinyloc check examples/models/uji_mlp.tinyloc.json --ram-budget 4KiB --flash-budget 64KiB\n" +
            "  tinyloc evaluate examples/models/uji_mlp.tinyloc.json --data validationData.csv.gz --label \"B{BUILDINGID}F{FLOOR}\"\n\n" +
            "Exit codes: 0 ok, 1 the model or a file has an error (TLxxxx diagnostics on stderr), 2 over budget.");
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(CompileCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        return root.Parse(args).Invoke();
    }
}
