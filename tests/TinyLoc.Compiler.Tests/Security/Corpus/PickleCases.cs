using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TinyLoc.Compiler.Import.Pickle;
using TinyLoc.Compiler.Tests.Import;

namespace TinyLoc.Compiler.Tests.Security.Corpus;

/// <summary>
/// Pickles in a torch.save zip: every opcode byte alone and with a huge argument, every dangerous global in every
/// place a pickle can name one, and bombs (opcode, stack and memo floods, deep nesting, self-reference).
/// </summary>
internal static class PickleCases
{
    /// <summary>Globals that would run code, read files or import modules in Python.</summary>
    private static readonly string[] DangerousGlobals =
    {
        "os.system", "posix.system", "nt.system", "os.popen", "os.execv", "os.execl", "os.spawnl", "os.remove", "os.fork",
        "subprocess.Popen", "subprocess.call", "subprocess.check_output", "subprocess.run", "subprocess.getoutput",
        "builtins.eval", "builtins.exec", "builtins.compile", "builtins.__import__", "builtins.getattr", "builtins.setattr",
        "builtins.open", "builtins.input", "__builtin__.eval", "__builtin__.open", "__builtin__.__import__",
        "shutil.rmtree", "pty.spawn", "webbrowser.open", "socket.socket", "runpy._run_code", "runpy.run_path",
        "pickle.loads", "_pickle.loads", "marshal.loads", "codecs.decode", "importlib.import_module",
        "functools.partial", "operator.attrgetter", "operator.methodcaller", "types.FunctionType", "types.CodeType",
        "sys.modules", "ctypes.CDLL", "platform.popen", "timeit.timeit", "code.InteractiveInterpreter",
        "copyreg._reconstructor", "copy_reg._reconstructor", "torch.load", "torch.jit.load", "torch.hub.load",
        "torch.storage._load_from_bytes", "torch.serialization.load", "torch.ops.aten.exec", "numpy.load",
        "numpy.core.multiarray._reconstruct", "__main__.Evil", "collections.OrderedDict.__init__", "torch._utils._rebuild_tensor_v2.__globals__",
    };

    public static IEnumerable<HostileCase> All()
    {
        for (int op = 0; op < 256; op++)
        {
            byte b = (byte)op;
            string hex = op.ToString("x2", CultureInfo.InvariantCulture);
            yield return Case("pickle-opcode:" + hex, "fail", () => new PickleWriter().Proto().Raw(b).Stop().ToArray());
            yield return Case("pickle-opcode-huge-arg:" + hex, "fail", () =>
                new PickleWriter().Proto().Raw(b).Raw(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f).Stop().ToArray());
        }

        foreach (string global in DangerousGlobals)
        {
            int dot = global.LastIndexOf('.');
            string module = global.Substring(0, dot), name = global.Substring(dot + 1);
            yield return Case("pickle-global:" + global, "TL1004", () => new PickleWriter().Proto().Global(module, name).Stop().ToArray());
            yield return Case("pickle-stack-global:" + global, "TL1004", () =>
                new PickleWriter().Proto(4).Unicode(module).Op(PickleOpcode.Memoize).Unicode(name).Op(PickleOpcode.Memoize)
                    .Op(PickleOpcode.StackGlobal).Stop().ToArray());
            yield return Case("pickle-global-reduced-in-state-dict:" + global, "TL1004", () =>
                new PickleWriter().Proto().Op(PickleOpcode.EmptyDict).Unicode("fc1.weight").Global(module, name)
                    .Unicode("id").Op(PickleOpcode.Tuple1).Op(PickleOpcode.Reduce).Op(PickleOpcode.SetItem).Stop().ToArray());
            yield return Case("pickle-global-in-persistent-id:" + global, "TL1004", () =>
                new PickleWriter().Proto().Op(PickleOpcode.EmptyDict).Unicode("fc1.weight")
                    .Mark().Unicode("storage").Global(module, name).Unicode("0").Unicode("cpu").Int(4).Op(PickleOpcode.Tuple)
                    .Op(PickleOpcode.BinPersId).Op(PickleOpcode.SetItem).Stop().ToArray());
        }

        // Python's code-running opcodes, with the arguments an exploit gives them.
        yield return Case("pickle-inst:os.system", "TL1005", () => Raw("(S'id'\nios\nsystem\n."));
        yield return Case("pickle-obj:os.system", "TL1004|TL1005", () => new PickleWriter().Proto().Mark().Global("os", "system").Unicode("id").Raw((byte)'o').Stop().ToArray());
        yield return Case("pickle-newobj:subprocess.Popen", "TL1004|TL1005", () => new PickleWriter().Proto().Global("subprocess", "Popen").Unicode("id").Op(PickleOpcode.Tuple1).Raw(0x81).Stop().ToArray());
        yield return Case("pickle-ext1", "TL1005", () => new PickleWriter().Proto().Raw(0x82, 0x01).Stop().ToArray());
        yield return Case("pickle-persid-text", "TL1005", () => Raw("\u0080\u0002Pstorage\n."));
        yield return Case("pickle-build-setstate", "fail", () =>
            new PickleWriter().Proto().Op(PickleOpcode.EmptyDict).Op(PickleOpcode.EmptyDict).Unicode("__setstate__").Global("os", "system")
                .Op(PickleOpcode.SetItem).Op(PickleOpcode.Build).Stop().ToArray());

        // Bombs: small files that asked for gigabytes or minutes.
        yield return Case("pickle-bomb:empty-list-17KB", "TL1016|TL1009", () => Repeat(PickleOpcode.EmptyList, 17_000));
        yield return Case("pickle-bomb:empty-list-1MB", "TL1016", () => Repeat(PickleOpcode.EmptyList, 1_000_000));
        yield return Case("pickle-bomb:empty-dict-1MB", "TL1016", () => Repeat(PickleOpcode.EmptyDict, 1_000_000));
        yield return Case("pickle-bomb:mark-1MB", "TL1016", () => Repeat(PickleOpcode.Mark, 1_000_000));
        yield return Case("pickle-bomb:none-pop-2MB", "TL1016", () => Pairs(PickleOpcode.None, PickleOpcode.Pop, 1_000_000, PickleOpcode.EmptyDict));
        yield return Case("pickle-bomb:dup-1MB", "TL1016", () => Prefixed(PickleOpcode.EmptyList, PickleOpcode.Dup, 1_000_000));
        yield return Case("pickle-bomb:memoize-1MB", "TL1016", () => Prefixed(PickleOpcode.EmptyList, PickleOpcode.Memoize, 1_000_000));
        yield return Case("pickle-bomb:long-binput-distinct", "TL1016", () => LongBinPuts(300_000));
        yield return Case("pickle-bomb:self-append", "TL1016|TL1009", () => SelfAppend(200_000));
        yield return Case("pickle-bomb:nested-lists-200k", "TL1016|TL1009", () => NestedLists(200_000));
        yield return Case("pickle-bomb:nested-lists-40k", "TL1009", () => NestedLists(40_000));
        yield return Case("pickle-bomb:tuple1-chain-400k", "TL1009", () => Prefixed(PickleOpcode.None, PickleOpcode.Tuple1, 400_000));
        yield return Case("pickle-bomb:tuple1-chain-600k", "TL1016", () => Prefixed(PickleOpcode.None, PickleOpcode.Tuple1, 600_000));
        yield return Case("pickle-bomb:empty-list-then-appends", "TL1016", () => AppendsFlood(300_000));
        yield return Case("pickle-bomb:binget-flood", "TL1016", () => BinGetFlood(400_000));
        yield return Case("pickle-bomb:long4-1MB-integer", "fail", () =>
            new PickleWriter().Proto().Op(PickleOpcode.Long4).Raw(BitConverter.GetBytes(1 << 20)).Raw(new byte[1 << 20]).Stop().ToArray());
        yield return Case("pickle-bomb:binunicode-8MB", "fail", () =>
            new PickleWriter().Proto().Unicode(new string('x', 8 << 20)).Stop().ToArray());
        yield return Case("pickle-bomb:frame-huge", "TL1006", () =>
            new PickleWriter().Proto(4).Op(PickleOpcode.Frame).Raw(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff).Stop().ToArray());
        yield return Case("pickle-bomb:28k-tensors", "TL1016", () => ManyTensors(28_000));
        yield return Case("pickle-bomb:100k-tensors", "TL1013", () => ManyTensors(100_000));
    }

    /// <summary>A case whose checkpoint is a torch.save zip with <paramref name="pickle"/> and one 8-byte storage.</summary>
    public static HostileCase Case(string name, string expect, Func<byte[]> pickle) => new(name, expect, folder =>
    {
        TorchZipWriter.Write(folder.File("model.pt"), "model", pickle(), new[] { new KeyValuePair<string, byte[]>("0", new byte[8]) });
        return new CaseInput(CaseManifest.Relu().WriteTo(folder));
    });

    private static byte[] Raw(string latin1) => latin1.Select(c => (byte)c).ToArray();

    private static byte[] Repeat(PickleOpcode op, int n)
    {
        var w = new PickleWriter().Proto();
        for (int i = 0; i < n; i++)
        {
            w.Op(op);
        }

        return w.Stop().ToArray();
    }

    private static byte[] Pairs(PickleOpcode a, PickleOpcode b, int n, PickleOpcode last)
    {
        var w = new PickleWriter().Proto();
        for (int i = 0; i < n; i++)
        {
            w.Op(a).Op(b);
        }

        return w.Op(last).Stop().ToArray();
    }

    private static byte[] Prefixed(PickleOpcode first, PickleOpcode op, int n)
    {
        var w = new PickleWriter().Proto().Op(first);
        for (int i = 0; i < n; i++)
        {
            w.Op(op);
        }

        return w.Stop().ToArray();
    }

    private static byte[] LongBinPuts(int n)
    {
        var w = new PickleWriter().Proto().Op(PickleOpcode.EmptyDict);
        for (int i = 0; i < n; i++)
        {
            w.Op(PickleOpcode.LongBinPut).Raw(BitConverter.GetBytes(i));
        }

        return w.Stop().ToArray();
    }

    /// <summary>A list appended to itself over and over: a cycle that a describer must not follow.</summary>
    private static byte[] SelfAppend(int n)
    {
        var w = new PickleWriter().Proto().Op(PickleOpcode.EmptyList);
        for (int i = 0; i < n; i++)
        {
            w.Op(PickleOpcode.Dup).Op(PickleOpcode.Append);
        }

        return w.Stop().ToArray();
    }

    private static byte[] NestedLists(int depth)
    {
        var w = new PickleWriter().Proto();
        for (int i = 0; i < depth; i++)
        {
            w.Op(PickleOpcode.EmptyList);
        }

        for (int i = 1; i < depth; i++)
        {
            w.Op(PickleOpcode.Append);
        }

        return w.Stop().ToArray();
    }

    private static byte[] AppendsFlood(int n)
    {
        var w = new PickleWriter().Proto().Op(PickleOpcode.EmptyList);
        for (int i = 0; i < n; i++)
        {
            w.Op(PickleOpcode.Mark).Op(PickleOpcode.None).Op(PickleOpcode.Appends);
        }

        return w.Stop().ToArray();
    }

    private static byte[] BinGetFlood(int n)
    {
        var w = new PickleWriter().Proto().Op(PickleOpcode.EmptyList).Op(PickleOpcode.BinPut).Raw(0).Op(PickleOpcode.Mark);
        for (int i = 0; i < n; i++)
        {
            w.Op(PickleOpcode.BinGet).Raw(0);
        }

        return w.Op(PickleOpcode.Appends).Stop().ToArray();
    }

    private static byte[] ManyTensors(int n) =>
        PickleWriter.FloatStateDict(Enumerable.Range(0, n).Select(i => ("t" + i.ToString(CultureInfo.InvariantCulture), new long[] { 1 })).ToList());
}
