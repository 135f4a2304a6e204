using System;
using System.Linq;
using System.Numerics;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Import;
using TinyLoc.Compiler.Import.Pickle;
using Xunit;

namespace TinyLoc.Compiler.Tests.Import;

public sealed class RestrictedUnpicklerTests
{
    private static readonly SourceLocation Location = new("model.pt");

    private static object? Load(byte[] pickle) =>
        RestrictedUnpickler.Load(pickle, new TorchUnpicklerPolicy(Location), Location);

    private static Diagnostic Refused(byte[] pickle, string id)
    {
        var ex = Assert.Throws<DiagnosticException>(() => Load(pickle));
        Assert.Equal(id, ex.Diagnostic.Id);
        Assert.Equal("model.pt", ex.Diagnostic.Location.File);
        return ex.Diagnostic;
    }

    private static byte[] Hex(string hex) =>
        Enumerable.Range(0, hex.Length / 2).Select(i => Convert.ToByte(hex.Substring(2 * i, 2), 16)).ToArray();

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Reads_python_protocol_4_and_5_data(int protocol)
    {
        // pickle.dumps({'a': [1, -2, 3.5, None, True, False, b'xy', (1, 2, 3)], 'big': 2**70, 'neg': -129,
        //               'u': 'héllo', 'n': (), 't1': ('x',), 'm': -2**31, 'k': 65535, 'same': ['s', 's']}, protocol)
        string hex = "80" + protocol.ToString("x2") + "9587000000000000007d94288c0161945d94284b014afeffffff47400c0000000000004e888943027879944b014b024b038794658c03626967948a090000000000000000408c036e6567944a7fffffff8c0175948c0668c3a96c6c6f948c016e94298c027431948c01789485948c016d944a000000808c016b944dffff8c0473616d65945d94288c017394681165752e";
        var dict = Assert.IsType<PickleDict>(Load(Hex(hex)));
        Assert.Equal(new object?[] { "a", "big", "neg", "u", "n", "t1", "m", "k", "same" }, dict.Entries.Select(e => e.Key));

        Assert.True(dict.TryGetValue("a", out object? a));
        var list = Assert.IsType<PickleList>(a).Items;
        Assert.Equal(1L, list[0]);
        Assert.Equal(-2L, list[1]);
        Assert.Equal(3.5, list[2]);
        Assert.Null(list[3]);
        Assert.Equal(true, list[4]);
        Assert.Equal(false, list[5]);
        Assert.Equal(new byte[] { (byte)'x', (byte)'y' }, list[6]);
        Assert.Equal(new object?[] { 1L, 2L, 3L }, Assert.IsType<PickleTuple>(list[7]));

        Assert.True(dict.TryGetValue("big", out object? big));
        Assert.Equal(BigInteger.Pow(2, 70), big);
        Assert.True(dict.TryGetValue("neg", out object? neg));
        Assert.Equal(-129L, neg);
        Assert.True(dict.TryGetValue("u", out object? u));
        Assert.Equal("h\u00e9llo", u);
        Assert.True(dict.TryGetValue("n", out object? n));
        Assert.Empty(Assert.IsType<PickleTuple>(n));
        Assert.True(dict.TryGetValue("t1", out object? t1));
        Assert.Equal(new object?[] { "x" }, Assert.IsType<PickleTuple>(t1));
        Assert.True(dict.TryGetValue("m", out object? m));
        Assert.Equal((long)int.MinValue, m);
        Assert.True(dict.TryGetValue("k", out object? k));
        Assert.Equal(65535L, k);
        Assert.True(dict.TryGetValue("same", out object? same));
        var sameItems = Assert.IsType<PickleList>(same).Items;
        Assert.Same(sameItems[0], sameItems[1]); // BINGET returns the memoised object
    }

    [Fact]
    public void Text_put_get_long_binput_pop_dup_and_dict_opcodes_work()
    {
        var pickle = new PickleWriter().Proto()
            .Mark().Unicode("k").Int(1).Op(PickleOpcode.Dict)            // {'k': 1}
            .Raw((byte)'p').Raw(System.Text.Encoding.ASCII.GetBytes("7\n"))
            .Op(PickleOpcode.Pop)
            .Raw((byte)'g').Raw(System.Text.Encoding.ASCII.GetBytes("7\n"))
            .Op(PickleOpcode.LongBinPut).Raw(0, 1, 0, 0)
            .Op(PickleOpcode.Dup).Op(PickleOpcode.Pop)
            .Op(PickleOpcode.LongBinGet).Raw(0, 1, 0, 0)
            .Op(PickleOpcode.Tuple2)
            .Stop().ToArray();
        var tuple = Assert.IsType<PickleTuple>(Load(pickle));
        Assert.Same(tuple[0], tuple[1]);
        Assert.True(Assert.IsType<PickleDict>(tuple[0]).TryGetValue("k", out object? value));
        Assert.Equal(1L, value);
    }

    [Fact]
    public void Long1_decodes_twos_complement()
    {
        object? Decode(params byte[] bytes) => Load(new PickleWriter().Proto().Op(PickleOpcode.Long1).Raw((byte)bytes.Length).Raw(bytes).Stop().ToArray());

        Assert.Equal(0L, Decode());
        Assert.Equal(-1L, Decode(0xff));
        Assert.Equal(255L, Decode(0xff, 0x00));
        Assert.Equal(-129L, Decode(0x7f, 0xff));
        Assert.Equal(long.MinValue, Decode(0, 0, 0, 0, 0, 0, 0, 0x80));
        Assert.Equal(-BigInteger.Pow(2, 64), Decode(0, 0, 0, 0, 0, 0, 0, 0, 0xff));
    }

    [Fact]
    public void Build_on_an_ordered_dict_is_ignored()
    {
        var pickle = new PickleWriter().Proto().Global("collections", "OrderedDict").Op(PickleOpcode.EmptyTuple).Op(PickleOpcode.Reduce)
            .Unicode("w").Int(3).Op(PickleOpcode.SetItem)
            .Op(PickleOpcode.EmptyDict).Unicode("_metadata").Op(PickleOpcode.EmptyDict).Op(PickleOpcode.SetItem)
            .Op(PickleOpcode.Build).Stop().ToArray();
        var dict = Assert.IsType<PickleDict>(Load(pickle));
        Assert.Equal(new object?[] { "w" }, dict.Entries.Select(e => e.Key));
    }

    [Fact]
    public void Rebuild_from_type_v2_and_parameter_yield_the_tensor()
    {
        var inner = new PickleWriter().Mark().Storage("FloatStorage", "0", 2).Int(0)
            .IntTuple(new long[] { 2 }).IntTuple(new long[] { 1 }).Op(PickleOpcode.NewFalse)
            .Op(PickleOpcode.EmptyDict).Op(PickleOpcode.Tuple).ToArray();
        // _rebuild_parameter(_rebuild_from_type_v2(_rebuild_tensor_v2, torch.Tensor, (storage, 0, (2,), (1,), False, {}), {}), True, {})
        var pickle = new PickleWriter().Proto()
            .Global("torch._utils", "_rebuild_parameter")
            .Mark()
            .Global("torch._tensor", "_rebuild_from_type_v2")
            .Mark().Global("torch._utils", "_rebuild_tensor_v2").Global("torch", "Tensor").Raw(inner).Op(PickleOpcode.EmptyDict).Op(PickleOpcode.Tuple)
            .Op(PickleOpcode.Reduce)
            .Op(PickleOpcode.NewTrue).Op(PickleOpcode.EmptyDict)
            .Op(PickleOpcode.Tuple).Op(PickleOpcode.Reduce)
            .Stop().ToArray();
        var tensor = Assert.IsType<TorchTensorRef>(Load(pickle));
        Assert.Equal(new[] { 2 }, tensor.Shape);
        Assert.Equal("0", tensor.Storage.Key);
        Assert.Equal(ElementType.Float32, tensor.Storage.Type.Element);
    }

    [Theory]
    [InlineData("posix", "system")]
    [InlineData("builtins", "eval")]
    [InlineData("builtins", "exec")]
    [InlineData("os", "system")]
    [InlineData("__builtin__", "getattr")]
    [InlineData("__main__", "Net")]
    [InlineData("torch.nn.modules.container", "Sequential")]
    [InlineData("collections", "OrderedDictX")]
    [InlineData("torch", "from_numpy")]
    public void Global_off_the_allowlist_is_TL1004_named_exactly(string module, string name)
    {
        var viaGlobal = new PickleWriter().Proto().Global(module, name).Stop().ToArray();
        Assert.Contains("'" + module + "." + name + "'", Refused(viaGlobal, "TL1004").Message, StringComparison.Ordinal);

        var viaStackGlobal = new PickleWriter().Proto(4).Unicode(module).Unicode(name).Op(PickleOpcode.StackGlobal).Stop().ToArray();
        Assert.Contains("'" + module + "." + name + "'", Refused(viaStackGlobal, "TL1004").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_allowlisted_global_is_torch_or_ordered_dict()
    {
        Assert.All(TorchGlobals.Names, name =>
            Assert.True(name == "collections.OrderedDict" || name.StartsWith("torch.", StringComparison.Ordinal), name));
        Assert.Contains("torch._utils._rebuild_tensor_v2", TorchGlobals.Names);
        Assert.DoesNotContain(TorchGlobals.Names, n => n.EndsWith("load", StringComparison.Ordinal) || n.Contains("eval", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData((byte)'i')]  // INST
    [InlineData((byte)'o')]  // OBJ
    [InlineData(0x81)]       // NEWOBJ
    [InlineData(0x92)]       // NEWOBJ_EX
    [InlineData(0x82)]       // EXT1
    [InlineData((byte)'P')]  // PERSID (text)
    [InlineData((byte)'I')]  // INT (text)
    [InlineData((byte)'S')]  // STRING (text)
    [InlineData(0x8f)]       // EMPTY_SET
    [InlineData(0x97)]       // NEXT_BUFFER
    [InlineData(0xff)]
    public void Opcode_outside_the_subset_is_TL1005_with_its_offset(byte opcode)
    {
        var pickle = new PickleWriter().Proto().Raw(opcode).Stop().ToArray();
        var diagnostic = Refused(pickle, "TL1005");
        Assert.Contains("0x" + opcode.ToString("x2"), diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("byte 2", diagnostic.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[], string> MalformedPickles() => new()
    {
        { "no STOP", new PickleWriter().Proto().Op(PickleOpcode.EmptyDict).ToArray(), "truncated" },
        { "empty stream", Array.Empty<byte>(), "truncated" },
        { "cut string", new PickleWriter().Proto().Op(PickleOpcode.BinUnicode).Raw(200, 0, 0, 0).Raw(65).ToArray(), "truncated" },
        { "huge string length", new PickleWriter().Proto().Op(PickleOpcode.BinUnicode8).Raw(255, 255, 255, 255, 255, 255, 255, 255).ToArray(), "truncated" },
        { "cut BININT", new PickleWriter().Proto().Op(PickleOpcode.BinInt).Raw(1, 2).ToArray(), "truncated" },
        { "GLOBAL without newline", new PickleWriter().Proto().Raw((byte)'c').Raw(65, 66).ToArray(), "truncated" },
        { "STOP on empty stack", new PickleWriter().Proto().Stop().ToArray(), "underflow" },
        { "TUPLE2 of one", new PickleWriter().Proto().Int(1).Op(PickleOpcode.Tuple2).Stop().ToArray(), "underflow" },
        { "pop below MARK", new PickleWriter().Proto().Int(1).Mark().Op(PickleOpcode.Tuple1).Stop().ToArray(), "underflow" },
        { "TUPLE without MARK", new PickleWriter().Proto().Int(1).Op(PickleOpcode.Tuple).Stop().ToArray(), "MARK" },
        { "unknown memo", new PickleWriter().Proto().Op(PickleOpcode.BinGet).Raw(3).Stop().ToArray(), "memo entry 3" },
        { "PUT on empty stack", new PickleWriter().Proto().Op(PickleOpcode.BinPut).Raw(0).Stop().ToArray(), "underflow" },
        { "SETITEM on a list", new PickleWriter().Proto().Op(PickleOpcode.EmptyList).Int(1).Int(2).Op(PickleOpcode.SetItem).Stop().ToArray(), "SETITEM cannot add to a list" },
        { "APPEND on a dict", new PickleWriter().Proto().Op(PickleOpcode.EmptyDict).Int(1).Op(PickleOpcode.Append).Stop().ToArray(), "APPEND cannot add to a dict" },
        { "odd SETITEMS", new PickleWriter().Proto().Op(PickleOpcode.EmptyDict).Mark().Int(1).Op(PickleOpcode.SetItems).Stop().ToArray(), "odd number" },
        { "protocol 6", new PickleWriter().Proto(6).Op(PickleOpcode.None).Stop().ToArray(), "protocol 6" },
        { "bad UTF-8", new PickleWriter().Proto().Op(PickleOpcode.ShortBinUnicode).Raw(1, 0xff).Stop().ToArray(), "UTF-8" },
        { "bad text memo key", new PickleWriter().Proto().Int(1).Raw((byte)'p').Raw(120, 10).Stop().ToArray(), "decimal" },
        { "REDUCE on a str", new PickleWriter().Proto().Unicode("f").Op(PickleOpcode.EmptyTuple).Op(PickleOpcode.Reduce).Stop().ToArray(), "not a str" },
        { "REDUCE without tuple", new PickleWriter().Proto().Global("collections", "OrderedDict").Int(1).Op(PickleOpcode.Reduce).Stop().ToArray(), "argument tuple" },
        { "REDUCE on a storage class", new PickleWriter().Proto().Global("torch", "FloatStorage").Op(PickleOpcode.EmptyTuple).Op(PickleOpcode.Reduce).Stop().ToArray(), "torch.FloatStorage" },
        { "STACK_GLOBAL of ints", new PickleWriter().Proto(4).Int(1).Int(2).Op(PickleOpcode.StackGlobal).Stop().ToArray(), "two strings" },
        { "persistent id not a storage", new PickleWriter().Proto().Unicode("x").Op(PickleOpcode.BinPersId).Stop().ToArray(), "persistent id" },
        { "storage type not a class", new PickleWriter().Proto().Mark().Unicode("storage").Unicode("FloatStorage").Unicode("0").Unicode("cpu").Int(1).Op(PickleOpcode.Tuple).Op(PickleOpcode.BinPersId).Stop().ToArray(), "storage class" },
        { "rebuild arity", new PickleWriter().Proto().Global("torch._utils", "_rebuild_tensor_v2").Op(PickleOpcode.EmptyTuple).Op(PickleOpcode.Reduce).Stop().ToArray(), "takes 6 to 7 arguments, not 0" },
        { "negative stride", TensorPickle(new long[] { 2 }, new long[] { -1 }), "negative" },
        { "size/stride rank", TensorPickle(new long[] { 2, 2 }, new long[] { 1 }), "2 sizes but 1 strides" },
        { "too many elements", TensorPickle(new long[] { 1L << 20, 1L << 20 }, new long[] { 0, 0 }), "more than" },
    };

    [Theory]
    [MemberData(nameof(MalformedPickles))]
    public void Malformed_pickle_is_TL1006(string what, byte[] pickle, string fragment)
    {
        var diagnostic = Refused(pickle, "TL1006");
        Assert.True(diagnostic.Message.Contains(fragment, StringComparison.Ordinal), what + ": " + diagnostic.Message);
    }

    [Fact]
    public void Hostile_nesting_does_not_overflow_the_stack()
    {
        var w = new PickleWriter().Proto().Op(PickleOpcode.EmptyDict).Int(1);
        for (int i = 0; i < 200_000; i++)
        {
            w.Op(PickleOpcode.Tuple1);
        }

        // Use the deep tuple as a key, then describe the result as "not a state dict".
        var pickle = w.Int(2).Op(PickleOpcode.SetItem).Stop().ToArray();
        var dict = Assert.IsType<PickleDict>(Load(pickle));
        var ex = Assert.Throws<DiagnosticException>(() => TorchStateDictExtractor.Extract(dict, Location));
        Assert.Equal("TL1009", ex.Diagnostic.Id);
        Assert.Contains("a tuple as a key", ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_a_state_dict_says_what_it_is()
    {
        var listPickle = new PickleWriter().Proto().Op(PickleOpcode.EmptyList).Stop().ToArray();
        var ex = Assert.Throws<DiagnosticException>(() => TorchStateDictExtractor.Extract(Load(listPickle), Location));
        Assert.Equal("TL1009", ex.Diagnostic.Id);
        Assert.Contains("holds a list", ex.Diagnostic.Message, StringComparison.Ordinal);

        // {"epoch": 3, "model": <state dict>}: the hint names the entry that looks like a state dict.
        var nested = new PickleWriter().Proto().Op(PickleOpcode.EmptyDict).Mark()
            .Unicode("epoch").Int(3)
            .Unicode("model").Op(PickleOpcode.EmptyDict).Unicode("w").Tensor("FloatStorage", "0", 1, 0, new long[] { 1 }, new long[] { 1 }).Op(PickleOpcode.SetItem)
            .Op(PickleOpcode.SetItems).Stop().ToArray();
        ex = Assert.Throws<DiagnosticException>(() => TorchStateDictExtractor.Extract(Load(nested), Location));
        Assert.Contains("a dict in which 'epoch' is an int", ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("its entry 'model' looks like a state_dict; save that alone", ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void State_dict_under_state_dict_key_is_used()
    {
        var pickle = new PickleWriter().Proto().Op(PickleOpcode.EmptyDict).Mark()
            .Unicode("epoch").Int(3)
            .Unicode("state_dict").Op(PickleOpcode.EmptyDict).Unicode("w").Tensor("FloatStorage", "0", 1, 0, new long[] { 1 }, new long[] { 1 }).Op(PickleOpcode.SetItem)
            .Op(PickleOpcode.SetItems).Stop().ToArray();
        var entries = TorchStateDictExtractor.Extract(Load(pickle), Location);
        Assert.Equal("w", Assert.Single(entries).Key);
    }

    private static byte[] TensorPickle(long[] size, long[] stride) =>
        new PickleWriter().Proto().Tensor("FloatStorage", "0", 4, 0, size, stride).Stop().ToArray();
}
