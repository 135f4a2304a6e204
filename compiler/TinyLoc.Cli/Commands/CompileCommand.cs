using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using Spectre.Console;
using TinyLoc.Compiler;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.IR;
using TinyLoc.Compiler.Util;

namespace TinyLoc.Cli.Commands;

/// <summary><c>tinyloc compile</c>: write the generated code for one target.</summary>
internal static class CompileCommand
{
    public static Command Create()
    {
        var manifest = Common.Manifest();
        var target = new Option<string>("--target", "-t")
        {
            Description = "stm32 (NAME.h + NAME.c), esp-idf (a component folder), nanoframework, dotnet or meadow (NAME.cs), or a folder name under --templates.",
            Required = true,
        };
        var outDir = new Option<string>("--out", "-o") { Description = "Folder for the generated files (created if missing).", Required = true };
        var templates = new Option<string?>("--templates") { Description = "Use this template folder instead of the built-in mcu-templates/ (same layout: TARGET/target.json + partials/)." };
        var ns = new Option<string?>("--namespace") { Description = "C# namespace of the generated class (default TinyLoc.Models)." };
        var dump = new Option<bool>("--dump-ir") { Description = "Also print the float graph, the emitted graph and the memory plan." };
        var json = Common.Json("the files written and the size report");
        var common = new Common.CompileOptionSet();
        var cmd = new Command("compile", "Compile a model to C or C# for a target, and print its size summary.\n\nExample:\n  tinyloc compile examples/models/kolakowski_mlp.tinyloc.json --target stm32 --out out/kolakowski");
        cmd.Arguments.Add(manifest);
        Common.Add(cmd, target, outDir);
        common.AddTo(cmd);
        Common.Add(cmd, templates, ns, dump, json);
        cmd.SetAction(r =>
        {
            string? tdir = r.GetValue(templates);
            var source = tdir is null ? TemplateSource.Embedded : TemplateSource.FromDirectory(tdir);
            var targetBag = new DiagnosticBag();
            var chosen = Target.Load(source, r.GetValue(target)!, targetBag);
            if (Common.Print(targetBag))
            {
                return Common.Failed;
            }

            var options = common.Read(r, chosen!.Core);
            if (options is null)
            {
                return Common.Failed;
            }

            var c = Compilation.Create(r.GetValue(manifest)!, options);
            bool asJson = r.GetValue(json);
            var written = new List<string>();
            int Done(int exit)
            {
                if (asJson)
                {
                    Console.Out.Write(Common.JsonObject(w =>
                    {
                        w.WriteNumber("exit", exit);
                        w.WriteStartArray("files");
                        written.ForEach(w.WriteStringValue);
                        w.WriteEndArray();
                        if (exit == Common.Ok && c.Report is not null)
                        {
                            Common.WriteReport(w, "report", c.Report, c.Options.Budgets);
                        }

                        Common.WriteDiagnostics(w, c.Diagnostics);
                    }));
                }

                return exit;
            }

            if (r.GetValue(dump) && c.FusedGraph is not null)
            {
                Console.WriteLine(IrPrinter.Print(c.FloatGraph!, c.Manifest!.Name + " (float, as imported)"));
                if (c.Graph is not null)
                {
                    Console.WriteLine(IrPrinter.Print(c.Graph, $"{c.Manifest.Name} ({c.Scheme!.Name}, as emitted)"));
                    Console.WriteLine(c.Plan!.Print());
                }
            }

            if (!c.Success)
            {
                Common.Print(c.Diagnostics);
                return Done(Common.Exit(c));
            }

            var files = c.Emit(r.GetValue(target)!, source, r.GetValue(ns));
            Common.Print(c.Diagnostics);
            if (files is null)
            {
                return Done(Common.Failed);
            }

            var console = Common.Console();
            string dir = r.GetValue(outDir)!;
            foreach (var f in files)
            {
                string path = Path.Combine(dir, f.Path);
                if (!Common.WriteFile(path, f.Content))
                {
                    return Done(Common.Failed);
                }

                written.Add(path);
                if (!asJson)
                {
                    console.MarkupLine($"[green]wrote[/] {Markup.Escape(path)}");
                }
            }

            if (asJson)
            {
                return Done(Common.Ok);
            }

            var rep = c.Report!;
            string runtimeRam = rep.RuntimeStateBytes > 0 ? $", runtime {Fmt.Bytes(rep.RuntimeStateBytes)}" : string.Empty;
            string runtimeFlash = rep.RuntimeFlashBytes > 0 ? $", runtime ~{Fmt.Bytes(rep.RuntimeFlashBytes)}" : string.Empty;
            console.MarkupLine(
                $"[bold]{Markup.Escape(rep.Model)}[/] ({rep.Scheme}, unroll {rep.Unroll}): RAM {Fmt.Bytes(rep.RamBytes)} B (arena {Fmt.Bytes(rep.ArenaBytes)}, lower bound {Fmt.Bytes(rep.ArenaLowerBound)}{runtimeRam}), " +
                $"flash {Fmt.Bytes(rep.FlashBytes)} B (weights {Fmt.Bytes(rep.WeightBytes)}, tables {Fmt.Bytes(rep.TableBytes)}, code ~{Fmt.Bytes(rep.CodeBytes)}{runtimeFlash}), {Fmt.Bytes(rep.Macs)} MACs");
            return Common.Ok;
        });
        return cmd;
    }
}
