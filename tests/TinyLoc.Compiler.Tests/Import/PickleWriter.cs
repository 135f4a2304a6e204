using System;
using System.Collections.Generic;
using System.Text;
using TinyLoc.Compiler.Import.Pickle;

namespace TinyLoc.Compiler.Tests.Import;

/// <summary>Writes pickle opcodes by hand, for unpickler tests and for hand-made checkpoints.</summary>
internal sealed class PickleWriter
{
    private readonly List<byte> _bytes = new();

    public int Length => _bytes.Count;

    public PickleWriter Proto(int protocol = 2) => Op(PickleOpcode.Proto).Raw((byte)protocol);

    public PickleWriter Op(PickleOpcode opcode) => Raw((byte)opcode);

    public PickleWriter Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public PickleWriter Mark() => Op(PickleOpcode.Mark);

    public PickleWriter Stop() => Op(PickleOpcode.Stop);

    public PickleWriter Global(string module, string name) =>
        Op(PickleOpcode.Global).Raw(Encoding.UTF8.GetBytes(module + "\n" + name + "\n"));

    public PickleWriter Unicode(string text)
    {
        byte[] data = Encoding.UTF8.GetBytes(text);
        return Op(PickleOpcode.BinUnicode).Raw(BitConverter.GetBytes(data.Length)).Raw(data);
    }

    public PickleWriter Int(long value)
    {
        if (value >= 0 && value < 256)
        {
            return Op(PickleOpcode.BinInt1).Raw((byte)value);
        }

        if (value >= 0 && value < 65536)
        {
            return Op(PickleOpcode.BinInt2).Raw((byte)value, (byte)(value >> 8));
        }

        if (value >= int.MinValue && value <= int.MaxValue)
        {
            return Op(PickleOpcode.BinInt).Raw(BitConverter.GetBytes((int)value));
        }

        return Op(PickleOpcode.Long1).Raw(8).Raw(BitConverter.GetBytes(value));
    }

    public PickleWriter IntTuple(IReadOnlyList<long> values)
    {
        Mark();
        foreach (long v in values)
        {
            Int(v);
        }

        return Op(PickleOpcode.Tuple);
    }

    /// <summary>Pushes the persistent-id storage reference torch.save writes, then BINPERSID.</summary>
    public PickleWriter Storage(string storageClass, string key, long elements) =>
        Mark().Unicode("storage").Global("torch", storageClass).Unicode(key).Unicode("cpu").Int(elements)
            .Op(PickleOpcode.Tuple).Op(PickleOpcode.BinPersId);

    /// <summary>Pushes <c>_rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())</c>.</summary>
    public PickleWriter Tensor(string storageClass, string key, long elements, long offset, long[] size, long[] stride) =>
        Global("torch._utils", "_rebuild_tensor_v2").Mark().Storage(storageClass, key, elements).Int(offset)
            .IntTuple(size).IntTuple(stride).Op(PickleOpcode.NewFalse)
            .Global("collections", "OrderedDict").Op(PickleOpcode.EmptyTuple).Op(PickleOpcode.Reduce)
            .Op(PickleOpcode.Tuple).Op(PickleOpcode.Reduce);

    public byte[] ToArray() => _bytes.ToArray();

    /// <summary>The pickle of an OrderedDict of contiguous float32 tensors, each in its own storage.</summary>
    public static byte[] FloatStateDict(IReadOnlyList<(string Name, long[] Shape)> tensors)
    {
        var w = new PickleWriter().Proto().Global("collections", "OrderedDict").Op(PickleOpcode.EmptyTuple)
            .Op(PickleOpcode.Reduce).Mark();
        for (int i = 0; i < tensors.Count; i++)
        {
            long[] shape = tensors[i].Shape;
            var stride = new long[shape.Length];
            long count = 1;
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                stride[d] = count;
                count *= shape[d];
            }

            w.Unicode(tensors[i].Name).Tensor("FloatStorage", i.ToString(System.Globalization.CultureInfo.InvariantCulture), count, 0, shape, stride);
        }

        return w.Op(PickleOpcode.SetItems).Stop().ToArray();
    }
}
