using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Text;
using TinyLoc.Compiler.Diagnostics;

namespace TinyLoc.Compiler.Import.Pickle;

/// <summary>
/// A pickle virtual machine that executes nothing. It knows the data opcodes of protocols 2 to 5 (see
/// <see cref="PickleOpcode"/>) and delegates the four opcodes that would import or call code in Python
/// (GLOBAL/STACK_GLOBAL, REDUCE, BINPERSID, BUILD) to an <see cref="IUnpicklerPolicy"/> that only ever builds inert
/// data. Errors are <see cref="DiagnosticException"/>s: TL1005 for an opcode outside the subset, TL1006 for
/// truncation, stack underflow, a bad memo reference or bad arguments, and whatever the policy raises (TL1004).
/// The machine is iterative (no recursion), so hostile nesting cannot overflow the call stack, and it counts:
/// opcodes run, values on the stack and memo entries are bounded by <see cref="Util.InputLimits"/> (TL1016),
/// so a few kilobytes of EMPTY_LIST cannot grow into gigabytes.
/// </summary>
internal sealed class RestrictedUnpickler
{
    /// <summary>The newest pickle protocol accepted in a PROTO opcode.</summary>
    public const int HighestProtocol = 5;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _data;
    private readonly IUnpicklerPolicy _policy;
    private readonly SourceLocation _location;
    private readonly List<object?> _stack = new();
    private readonly List<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = new();
    private int _position;
    private int _opcodeStart;
    private int _opcodes;

    private RestrictedUnpickler(byte[] data, IUnpicklerPolicy policy, SourceLocation location)
    {
        _data = data;
        _policy = policy;
        _location = location;
    }

    /// <summary>Runs the pickle in <paramref name="data"/> up to its STOP opcode and returns the top object.</summary>
    /// <exception cref="DiagnosticException">The pickle is refused or malformed.</exception>
    public static object? Load(byte[] data, IUnpicklerPolicy policy, SourceLocation location) =>
        new RestrictedUnpickler(data, policy, location).Run();

    private object? Run()
    {
        while (true)
        {
            _opcodeStart = _position;
            if (_position >= _data.Length)
            {
                throw Malformed("the stream ends before its STOP opcode (the pickle is truncated)");
            }

            if (++_opcodes > Util.InputLimits.MaxPickleOpcodes)
            {
                throw OverLimit(Util.InputLimits.MaxPickleOpcodes, "opcodes");
            }

            byte opcode = _data[_position++];
            try
            {
                if (Execute(opcode))
                {
                    return Pop();
                }
            }
            catch (PickleDataException ex)
            {
                throw Malformed(ex.Message);
            }
        }
    }

    /// <summary>Executes one opcode; returns true at STOP.</summary>
    private bool Execute(byte opcode)
    {
        switch ((PickleOpcode)opcode)
        {
            case PickleOpcode.Proto:
                int protocol = ReadByte();
                if (protocol > HighestProtocol)
                {
                    throw new PickleDataException(string.Format(CultureInfo.InvariantCulture,
                        "pickle protocol {0} is not supported (this reader handles protocols 2 to {1})", protocol, HighestProtocol));
                }

                break;
            case PickleOpcode.Frame:
                ulong frameLength = ReadUInt64();
                if (frameLength > (ulong)(_data.Length - _position))
                {
                    throw Truncated("FRAME");
                }

                break;
            case PickleOpcode.Stop:
                return true;

            // Stack and mark handling.
            case PickleOpcode.Mark:
                CheckStack();
                _marks.Add(_stack.Count);
                break;
            case PickleOpcode.Pop:
                if (_stack.Count > CurrentBase)
                {
                    _stack.RemoveAt(_stack.Count - 1);
                }
                else
                {
                    PopMark();
                }

                break;
            case PickleOpcode.PopMark:
                PopMark();
                break;
            case PickleOpcode.Dup:
                Push(Peek());
                break;

            // Scalars.
            case PickleOpcode.None:
                Push(null);
                break;
            case PickleOpcode.NewTrue:
                Push(true);
                break;
            case PickleOpcode.NewFalse:
                Push(false);
                break;
            case PickleOpcode.BinInt:
                Push((long)unchecked((int)ReadUInt32()));
                break;
            case PickleOpcode.BinInt1:
                Push((long)ReadByte());
                break;
            case PickleOpcode.BinInt2:
                Push((long)ReadUInt16());
                break;
            case PickleOpcode.Long1:
                Push(DecodeLong(ReadBytes((ulong)ReadByte(), "LONG1")));
                break;
            case PickleOpcode.Long4:
                int longLength = unchecked((int)ReadUInt32());
                if (longLength < 0)
                {
                    throw new PickleDataException("LONG4 has a negative length");
                }

                Push(DecodeLong(ReadBytes((ulong)longLength, "LONG4")));
                break;
            case PickleOpcode.BinFloat:
                Push(BitConverter.Int64BitsToDouble(unchecked((long)ReadUInt64BigEndian())));
                break;

            // Strings and bytes.
            case PickleOpcode.ShortBinUnicode:
                Push(DecodeUtf8(ReadBytes((ulong)ReadByte(), "SHORT_BINUNICODE")));
                break;
            case PickleOpcode.BinUnicode:
                Push(DecodeUtf8(ReadBytes(ReadUInt32(), "BINUNICODE")));
                break;
            case PickleOpcode.BinUnicode8:
                Push(DecodeUtf8(ReadBytes(ReadUInt64(), "BINUNICODE8")));
                break;
            case PickleOpcode.ShortBinBytes:
                Push(ReadBytes((ulong)ReadByte(), "SHORT_BINBYTES"));
                break;
            case PickleOpcode.BinBytes:
                Push(ReadBytes(ReadUInt32(), "BINBYTES"));
                break;
            case PickleOpcode.BinBytes8:
                Push(ReadBytes(ReadUInt64(), "BINBYTES8"));
                break;

            // Containers.
            case PickleOpcode.EmptyTuple:
                Push(PickleTuple.Empty);
                break;
            case PickleOpcode.Tuple:
                Push(new PickleTuple(PopMark()));
                break;
            case PickleOpcode.Tuple1:
                Push(PopTuple(1));
                break;
            case PickleOpcode.Tuple2:
                Push(PopTuple(2));
                break;
            case PickleOpcode.Tuple3:
                Push(PopTuple(3));
                break;
            case PickleOpcode.EmptyList:
                Push(new PickleList());
                break;
            case PickleOpcode.List:
                var list = new PickleList();
                list.Items.AddRange(PopMark());
                Push(list);
                break;
            case PickleOpcode.Append:
                object? appended = Pop();
                PeekAs<PickleList>("APPEND").Items.Add(appended);
                break;
            case PickleOpcode.Appends:
                object?[] appendedItems = PopMark();
                PeekAs<PickleList>("APPENDS").Items.AddRange(appendedItems);
                break;
            case PickleOpcode.EmptyDict:
                Push(new PickleDict());
                break;
            case PickleOpcode.Dict:
                var dict = new PickleDict();
                SetItems(dict, PopMark(), "DICT");
                Push(dict);
                break;
            case PickleOpcode.SetItem:
                object? value = Pop();
                object? key = Pop();
                PeekAs<PickleDict>("SETITEM").Set(key, value);
                break;
            case PickleOpcode.SetItems:
                object?[] pairs = PopMark();
                SetItems(PeekAs<PickleDict>("SETITEMS"), pairs, "SETITEMS");
                break;

            // Memo.
            case PickleOpcode.BinPut:
                Memo(ReadByte());
                break;
            case PickleOpcode.LongBinPut:
                Memo(ReadUInt32());
                break;
            case PickleOpcode.Put:
                Memo(ReadDecimalLine("PUT"));
                break;
            case PickleOpcode.Memoize:
                Memo(_memo.Count);
                break;
            case PickleOpcode.BinGet:
                Push(MemoGet(ReadByte()));
                break;
            case PickleOpcode.LongBinGet:
                Push(MemoGet(ReadUInt32()));
                break;
            case PickleOpcode.Get:
                Push(MemoGet(ReadDecimalLine("GET")));
                break;

            // The opcodes that would run code in Python: all go through the policy.
            case PickleOpcode.Global:
                string module = DecodeUtf8(ReadLine("GLOBAL"));
                string name = DecodeUtf8(ReadLine("GLOBAL"));
                Push(_policy.ResolveGlobal(module, name));
                break;
            case PickleOpcode.StackGlobal:
                object? globalName = Pop();
                object? globalModule = Pop();
                if (globalModule is not string moduleText || globalName is not string nameText)
                {
                    throw new PickleDataException("STACK_GLOBAL needs two strings (module and name)");
                }

                Push(_policy.ResolveGlobal(moduleText, nameText));
                break;
            case PickleOpcode.Reduce:
                object? arguments = Pop();
                object? callable = Pop();
                if (arguments is not PickleTuple argumentTuple)
                {
                    throw new PickleDataException("REDUCE needs an argument tuple, not " + PickleValue.Describe(arguments));
                }

                Push(_policy.Reduce(callable, argumentTuple));
                break;
            case PickleOpcode.BinPersId:
                Push(_policy.PersistentLoad(Pop()));
                break;
            case PickleOpcode.Build:
                object? state = Pop();
                _policy.Build(Peek(), state);
                break;

            default:
                throw new DiagnosticException(DiagnosticDescriptors.PickleUnsupportedOpcode, _location, (int)opcode, _opcodeStart);
        }

        return false;
    }

    private int CurrentBase => _marks.Count == 0 ? 0 : _marks[_marks.Count - 1];

    private void Push(object? value)
    {
        CheckStack();
        _stack.Add(value);
    }

    /// <summary>TL1016 when one more value or mark would go over the stack limit.</summary>
    private void CheckStack()
    {
        if (_stack.Count + _marks.Count >= Util.InputLimits.MaxPickleStack)
        {
            throw OverLimit(Util.InputLimits.MaxPickleStack, "values on the stack");
        }
    }

    private void Memo(long key)
    {
        object? value = Peek();
        if (_memo.Count >= Util.InputLimits.MaxPickleMemo && !_memo.ContainsKey(key))
        {
            throw OverLimit(Util.InputLimits.MaxPickleMemo, "memo entries");
        }

        _memo[key] = value;
    }

    private object? Pop()
    {
        if (_stack.Count <= CurrentBase)
        {
            throw new PickleDataException("stack underflow (an opcode needs more values than the stack holds)");
        }

        object? value = _stack[_stack.Count - 1];
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object? Peek()
    {
        if (_stack.Count <= CurrentBase)
        {
            throw new PickleDataException("stack underflow (an opcode needs a value but the stack is empty)");
        }

        return _stack[_stack.Count - 1];
    }

    private T PeekAs<T>(string opcodeName)
        where T : class
    {
        object? top = Peek();
        return top as T ?? throw new PickleDataException(opcodeName + " cannot add to " + PickleValue.Describe(top));
    }

    private object?[] PopMark()
    {
        if (_marks.Count == 0)
        {
            throw new PickleDataException("an opcode needs a MARK but none is on the stack");
        }

        int start = _marks[_marks.Count - 1];
        _marks.RemoveAt(_marks.Count - 1);
        var items = new object?[_stack.Count - start];
        _stack.CopyTo(start, items, 0, items.Length);
        _stack.RemoveRange(start, items.Length);
        return items;
    }

    private PickleTuple PopTuple(int count)
    {
        var items = new object?[count];
        for (int i = count - 1; i >= 0; i--)
        {
            items[i] = Pop();
        }

        return new PickleTuple(items);
    }

    private static void SetItems(PickleDict dict, object?[] pairs, string opcodeName)
    {
        if (pairs.Length % 2 != 0)
        {
            throw new PickleDataException(opcodeName + " has an odd number of items (a key without a value)");
        }

        for (int i = 0; i < pairs.Length; i += 2)
        {
            dict.Set(pairs[i], pairs[i + 1]);
        }
    }

    private object? MemoGet(long key)
    {
        if (!_memo.TryGetValue(key, out object? value))
        {
            throw new PickleDataException(string.Format(CultureInfo.InvariantCulture, "memo entry {0} is read but was never stored", key));
        }

        return value;
    }

    private static object DecodeLong(byte[] littleEndianTwosComplement)
    {
        int n = littleEndianTwosComplement.Length;
        if (n == 0)
        {
            return 0L;
        }

        if (n > 8)
        {
            return new BigInteger(littleEndianTwosComplement);
        }

        ulong bits = 0;
        for (int i = n - 1; i >= 0; i--)
        {
            bits = (bits << 8) | littleEndianTwosComplement[i];
        }

        int unused = 64 - (8 * n);
        return unchecked((long)(bits << unused)) >> unused;
    }

    private static string DecodeUtf8(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (ArgumentException)
        {
            throw new PickleDataException("a string is not valid UTF-8");
        }
    }

    private int ReadByte()
    {
        if (_position >= _data.Length)
        {
            throw Truncated("an opcode");
        }

        return _data[_position++];
    }

    private int ReadUInt16() => (int)ReadLittleEndian(2);

    private uint ReadUInt32() => (uint)ReadLittleEndian(4);

    private ulong ReadUInt64() => ReadLittleEndian(8);

    private ulong ReadLittleEndian(int count)
    {
        EnsureAvailable(count, "an opcode");
        ulong value = 0;
        for (int i = count - 1; i >= 0; i--)
        {
            value = (value << 8) | _data[_position + i];
        }

        _position += count;
        return value;
    }

    private ulong ReadUInt64BigEndian()
    {
        EnsureAvailable(8, "BINFLOAT");
        ulong value = 0;
        for (int i = 0; i < 8; i++)
        {
            value = (value << 8) | _data[_position + i];
        }

        _position += 8;
        return value;
    }

    private byte[] ReadBytes(ulong count, string opcodeName)
    {
        if (count > (ulong)(_data.Length - _position))
        {
            throw Truncated(opcodeName);
        }

        var bytes = new byte[count];
        Buffer.BlockCopy(_data, _position, bytes, 0, (int)count);
        _position += (int)count;
        return bytes;
    }

    private byte[] ReadLine(string opcodeName)
    {
        int end = Array.IndexOf(_data, (byte)'\n', _position);
        if (end < 0)
        {
            throw Truncated(opcodeName);
        }

        var line = new byte[end - _position];
        Buffer.BlockCopy(_data, _position, line, 0, line.Length);
        _position = end + 1;
        return line;
    }

    private long ReadDecimalLine(string opcodeName)
    {
        string text = Encoding.ASCII.GetString(ReadLine(opcodeName));
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            throw new PickleDataException(opcodeName + " has a memo key that is not a decimal number");
        }

        return value;
    }

    private void EnsureAvailable(int count, string what)
    {
        if (_data.Length - _position < count)
        {
            throw Truncated(what);
        }
    }

    private static PickleDataException Truncated(string what) =>
        new("the stream ends inside the argument of " + what + " (the pickle is truncated)");

    private DiagnosticException OverLimit(int limit, string what) =>
        new(DiagnosticDescriptors.PickleOverLimit, _location, limit, what, _opcodeStart);

    private DiagnosticException Malformed(string message) =>
        new(DiagnosticDescriptors.PickleMalformed, _location, _opcodeStart, message);
}
