using System.Collections.Generic;
using System.IO;
using TinyLoc.Tests.Shared;

namespace TinyLoc.Compiler.Tests.Security.Corpus;

/// <summary>
/// What a path can lead to: FIFOs, devices (by symbolic link), folders, empty and oversized files, and files
/// outside the manifest's folder (by <c>../</c>, an absolute path or a link), with and without the user's
/// <c>--allow-outside-paths</c>; template folders with the same traps.
/// </summary>
internal static class FileCases
{
    /// <summary>Marks the contents of a file outside the manifest's folder: no diagnostic may ever show it.</summary>
    public const string Secret = "TOP-SECRET-API-KEY=hunter2";

    public static IEnumerable<HostileCase> All()
    {
        foreach (string device in new[] { "/dev/zero", "/dev/urandom", "/dev/null", "/proc/self/environ", "/proc/self/mem", "/etc" })
        {
            yield return Checkpoint("device-link:checkpoint->" + device, "TL1014", f => f.Link("model.pt", device), allowOutside: false);
            yield return Checkpoint("device-link-allowed:checkpoint->" + device, "TL1012", f => f.Link("model.pt", device), allowOutside: true);
            yield return Calibration("device-link:calibration->" + device, "TL1014", f => f.Link("calib.csv", device), allowOutside: false);
            yield return Calibration("device-link-allowed:calibration->" + device, "TL1012", f => f.Link("calib.csv", device), allowOutside: true);
            yield return new HostileCase("device-link:manifest->" + device, "TL1012", f => new CaseInput(f.Link("m.tinyloc.json", device)));
            yield return new HostileCase("device-path:checkpoint=" + device, "TL1014", f => new CaseInput(CaseManifest.Relu(device).WriteTo(f)));
        }

        yield return Checkpoint("fifo:checkpoint", "TL1012", f => f.Fifo("model.pt"), allowOutside: false);
        yield return Calibration("fifo:calibration", "TL1012", f => f.Fifo("calib.csv"), allowOutside: false);
        yield return Calibration("fifo:calibration-gz", "TL1012", f => f.Fifo("calib.csv.gz"), allowOutside: false);
        yield return new HostileCase("fifo:manifest", "TL1012", f => new CaseInput(f.Fifo("m.tinyloc.json")));
        yield return new HostileCase("fifo:calibration-option", "TL1012", f =>
        {
            f.Copy("models/tiny_relu_reg.pt", "model.pt");
            return new CaseInput(CaseManifest.Relu().WriteTo(f), new CompileOptions { CalibrationCsv = f.Fifo("user.csv") });
        });
        yield return Checkpoint("folder:checkpoint", "TL1012", f => f.Folder("model.pt"), allowOutside: false);
        yield return Calibration("folder:calibration", "TL1012", f => f.Folder("calib.csv"), allowOutside: false);
        yield return new HostileCase("folder:manifest", "TL1012", f => new CaseInput(f.Folder("m.tinyloc.json")));
        yield return Checkpoint("empty:checkpoint", "TL1012", f => f.Write("model.pt", new byte[0]), allowOutside: false);
        yield return new HostileCase("empty:manifest", "TL1012", f => new CaseInput(f.Write("m.tinyloc.json", new byte[0])));
        yield return Checkpoint("too-large:checkpoint-5MiB", "TL1013", f => f.Sparse("model.pt", 5L << 20), allowOutside: false);
        yield return Checkpoint("too-large:checkpoint-1TiB-sparse", "TL1013", f => f.Sparse("model.pt", 1L << 40), allowOutside: false);
        yield return Calibration("too-large:calibration-65MiB", "TL1013", f => f.Sparse("calib.csv", 65L << 20), allowOutside: false);
        yield return new HostileCase("too-large:manifest-2MiB", "TL1013", f => new CaseInput(f.Sparse("m.tinyloc.json", 2L << 20)));
        yield return Checkpoint("missing-file:checkpoint", "TL1001", f => f.File("model.pt"), allowOutside: false);
        yield return Checkpoint("link-loop:checkpoint", "fail", f =>
        {
            f.Link("loop2.pt", f.File("model.pt"));
            return f.Link("model.pt", f.File("loop2.pt"));
        }, allowOutside: false);

        // Outside the manifest's folder: the case folder holds "outside/" (a valid model, a secret) and "in/" (the manifest).
        foreach (bool allowed in new[] { false, true })
        {
            string tag = allowed ? "outside-allowed:" : "outside:";
            yield return Outside(tag + "checkpoint-dotdot", allowed ? "ok" : "TL1014", allowed, f => CaseManifest.Relu("../outside/model.pt"));
            yield return Outside(tag + "checkpoint-absolute", allowed ? "ok" : "TL1014", allowed, f => CaseManifest.Relu(f.File("outside/model.pt")));
            yield return Outside(tag + "checkpoint-link", allowed ? "ok" : "TL1014", allowed, f =>
            {
                f.Link("in/linked.pt", f.File("outside/model.pt"));
                return CaseManifest.Relu("linked.pt");
            });
            yield return Outside(tag + "checkpoint-link-to-folder", allowed ? "ok" : "TL1014", allowed, f =>
            {
                f.Link("in/sub", f.File("outside"));
                return CaseManifest.Relu("sub/model.pt");
            });
            yield return Outside(tag + "calibration-dotdot-secret", allowed ? "TL1107" : "TL1014", allowed, f =>
                CaseManifest.Relu("model.pt").Set("quantization.calibration", CaseManifest.Quote("../outside/secret.csv")));
            yield return Outside(tag + "calibration-link-secret", allowed ? "TL1107" : "TL1014", allowed, f =>
            {
                f.Link("in/calib.csv", f.File("outside/secret.csv"));
                return CaseManifest.Relu("model.pt").Set("quantization.calibration", CaseManifest.Quote("calib.csv"));
            });
            yield return Outside(tag + "calibration-etc-passwd", allowed ? "fail" : "TL1014", allowed, f =>
                CaseManifest.Relu("model.pt").Set("quantization.calibration", CaseManifest.Quote("/etc/passwd")));
        }

        yield return Templates("templates:root-of-the-file-system", "TL5001", f => "/");
        yield return Templates("templates:fifo-partial", "TL1012", f =>
        {
            CopyTarget(f, "tpl");
            f.Fifo("tpl/partials/evil.hbs");
            return f.File("tpl");
        });
        yield return Templates("templates:target-json-to-dev-zero", "TL1012|TL5001", f =>
        {
            f.Folder("tpl/stm32");
            f.Link("tpl/stm32/target.json", "/dev/zero");
            return f.File("tpl");
        });
        yield return Templates("templates:huge-partial", "TL1013", f =>
        {
            CopyTarget(f, "tpl");
            f.Sparse("tpl/partials/huge.hbs", 2L << 20);
            return f.File("tpl");
        });
        yield return Templates("templates:deep-tree-is-not-walked", "ok", f =>
        {
            CopyTarget(f, "tpl");
            string deep = "tpl/x";
            for (int i = 0; i < 40; i++)
            {
                deep += "/d" + i;
            }

            f.Folder(deep);
            f.Fifo(deep + "/target.json");
            return f.File("tpl");
        });
    }

    private static HostileCase Checkpoint(string name, string expect, System.Func<CaseFolder, string> make, bool allowOutside) => new(name, expect, f =>
    {
        make(f);
        return new CaseInput(CaseManifest.Relu().WriteTo(f), new CompileOptions { AllowOutsidePaths = allowOutside });
    });

    private static HostileCase Calibration(string name, string expect, System.Func<CaseFolder, string> make, bool allowOutside) => new(name, expect, f =>
    {
        string csv = Path.GetFileName(make(f));
        return new CaseInput(CsvCases.Manifest(f, csv), new CompileOptions { AllowOutsidePaths = allowOutside });
    });

    private static HostileCase Outside(string name, string expect, bool allowed, System.Func<CaseFolder, CaseManifest> manifest) => new(name, expect, f =>
    {
        f.Copy("models/tiny_relu_reg.pt", "outside/model.pt");
        f.WriteText("outside/secret.csv", Secret + "\n" + Secret + "\n");
        f.Copy("models/tiny_relu_reg.pt", "in/model.pt");
        return new CaseInput(manifest(f).WriteTo(f, "in/m.tinyloc.json"), new CompileOptions { AllowOutsidePaths = allowed });
    });

    private static HostileCase Templates(string name, string expect, System.Func<CaseFolder, string> templates) => new(name, expect, f =>
    {
        f.Copy("models/tiny_relu_reg.pt", "model.pt");
        return new CaseInput(CaseManifest.Relu().WriteTo(f), new CompileOptions(), templates(f));
    });

    /// <summary>The built-in stm32 target and partials, copied from mcu-templates/.</summary>
    private static void CopyTarget(CaseFolder f, string folder)
    {
        string source = Path.Combine(RepoPaths.RepoRoot, "mcu-templates");
        foreach (string sub in new[] { "stm32", "partials" })
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(source, sub)))
            {
                f.Write(folder + "/" + sub + "/" + Path.GetFileName(file), File.ReadAllBytes(file));
            }
        }
    }
}
