namespace TinyLoc.Compiler.Import.Pickle;

// The inert objects the torch unpickler policy builds instead of running code. None of them holds tensor
// data: storages are named by key and read from the archive only after unpickling succeeded.

/// <summary>An allowlisted global, resolved by name only (nothing is imported).</summary>
internal abstract class TorchGlobal : IDescribedPickleObject
{
    protected TorchGlobal(string fullName)
    {
        FullName = fullName;
    }

    /// <summary>The global as <c>module.name</c>.</summary>
    public string FullName { get; }

    public string Description => "the global '" + FullName + "'";
}

/// <summary>What an allowlisted callable builds when REDUCE "applies" it.</summary>
internal enum TorchCallableKind
{
    OrderedDict,
    RebuildTensor,
    RebuildTensorV2,
    RebuildParameter,
    RebuildParameterWithState,
    RebuildQuantizedTensor,
    RebuildFromTypeV2,
    Size,
}

/// <summary>An allowlisted global that REDUCE may apply; the policy implements it as a data constructor.</summary>
internal sealed class TorchCallable : TorchGlobal
{
    public TorchCallable(string fullName, TorchCallableKind kind)
        : base(fullName)
    {
        Kind = kind;
    }

    public TorchCallableKind Kind { get; }
}

/// <summary>A storage class such as <c>torch.FloatStorage</c>: names the element type of a storage.</summary>
internal sealed class TorchStorageType : TorchGlobal
{
    public TorchStorageType(string fullName, string dtypeName, ElementType? element, int itemSize)
        : base(fullName)
    {
        DtypeName = dtypeName;
        Element = element;
        ItemSize = itemSize;
    }

    /// <summary>The torch dtype name, e.g. <c>float32</c> or <c>qint8</c>.</summary>
    public string DtypeName { get; }

    /// <summary>The element type, or null when the compiler cannot convert it (complex, quantised).</summary>
    public ElementType? Element { get; }

    /// <summary>Bytes per element on disk.</summary>
    public int ItemSize { get; }
}

/// <summary>An allowlisted global that is only ever data (a dtype, a qscheme, a tensor class).</summary>
internal sealed class TorchMarker : TorchGlobal
{
    public TorchMarker(string fullName)
        : base(fullName)
    {
    }
}

/// <summary>A storage named by a BINPERSID persistent id; its bytes live in the archive at <c>data/KEY</c>.</summary>
internal sealed class TorchStorageRef : IDescribedPickleObject
{
    public TorchStorageRef(string key, TorchStorageType type)
    {
        Key = key;
        Type = type;
    }

    public string Key { get; }

    public TorchStorageType Type { get; }

    public string Description => "a tensor storage";
}

/// <summary>A tensor as a view of a storage: element offset, shape and element strides.</summary>
internal sealed class TorchTensorRef : IDescribedPickleObject
{
    public TorchTensorRef(TorchStorageRef storage, long storageOffset, int[] shape, long[] strides)
    {
        Storage = storage;
        StorageOffset = storageOffset;
        Shape = shape;
        Strides = strides;
    }

    public TorchStorageRef Storage { get; }

    /// <summary>Offset of the first element, in elements (not bytes).</summary>
    public long StorageOffset { get; }

    public int[] Shape { get; }

    /// <summary>Element strides per dimension (row-major contiguous tensors have the usual ones).</summary>
    public long[] Strides { get; }

    public string Description => "a tensor";
}

/// <summary>A tensor the compiler recognises but cannot convert (for now: quantised tensors).</summary>
internal sealed class UnsupportedTensor : IDescribedPickleObject
{
    public UnsupportedTensor(string elementTypeText)
    {
        ElementTypeText = elementTypeText;
    }

    /// <summary>The element type as shown in TL1008, with the reason.</summary>
    public string ElementTypeText { get; }

    public string Description => "a tensor of type " + ElementTypeText;
}
