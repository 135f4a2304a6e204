using System.Collections.Generic;
using System.Globalization;
using TinyLoc.Compiler.Diagnostics;

namespace TinyLoc.Compiler.Import.Pickle;

/// <summary>
/// The unpickler policy for <c>torch.save</c> archives: resolves only <see cref="TorchGlobals"/>, implements the
/// allowlisted callables as data constructors (dicts, tensor views of storages) and turns storage persistent
/// ids into <see cref="TorchStorageRef"/>s. Argument checks raise <see cref="PickleDataException"/>.
/// </summary>
internal sealed class TorchUnpicklerPolicy : IUnpicklerPolicy
{
    /// <summary>The largest element count accepted for one tensor (float[] holds at most this many).</summary>
    public const long MaxElements = int.MaxValue;

    private readonly SourceLocation _location;

    public TorchUnpicklerPolicy(SourceLocation location)
    {
        _location = location;
    }

    public object ResolveGlobal(string module, string name)
    {
        if (TorchGlobals.TryGet(module, name, out TorchGlobal global))
        {
            return global;
        }

        throw new DiagnosticException(DiagnosticDescriptors.PickleGlobalNotAllowed, _location, module + "." + name);
    }

    public object? Reduce(object? callable, PickleTuple arguments)
    {
        if (callable is not TorchCallable function)
        {
            throw new PickleDataException("REDUCE can only apply an allowlisted constructor, not " + PickleValue.Describe(callable));
        }

        switch (function.Kind)
        {
            case TorchCallableKind.OrderedDict:
                return BuildOrderedDict(arguments);
            case TorchCallableKind.RebuildTensor:
                ExpectArguments(function, arguments, 4, 4);
                return BuildTensor(arguments);
            case TorchCallableKind.RebuildTensorV2:
                // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                ExpectArguments(function, arguments, 6, 7);
                return BuildTensor(arguments);
            case TorchCallableKind.RebuildParameter:
                // (data, requires_grad, backward_hooks)
                ExpectArguments(function, arguments, 3, 3);
                return ExpectTensor(function, arguments[0]);
            case TorchCallableKind.RebuildParameterWithState:
                // (data, requires_grad, backward_hooks, state)
                ExpectArguments(function, arguments, 4, 4);
                return ExpectTensor(function, arguments[0]);
            case TorchCallableKind.RebuildQuantizedTensor:
                // (storage, storage_offset, size, stride, quantizer_params, requires_grad, backward_hooks)
                ExpectArguments(function, arguments, 7, 7);
                string dtype = arguments[0] is TorchStorageRef storage ? storage.Type.DtypeName : "quantised";
                return new UnsupportedTensor(dtype + " (a quantised tensor; quantised checkpoints are not supported yet, save the float model)");
            case TorchCallableKind.RebuildFromTypeV2:
                // (func, new_type, args, state): the tensor is func(*args); the subclass and its state are dropped.
                ExpectArguments(function, arguments, 4, 4);
                if (arguments[0] is not TorchCallable inner || inner.Kind is TorchCallableKind.RebuildFromTypeV2 or TorchCallableKind.OrderedDict or TorchCallableKind.Size)
                {
                    throw new PickleDataException(function.FullName + " needs a tensor constructor, not " + PickleValue.Describe(arguments[0]));
                }

                if (arguments[2] is not PickleTuple innerArguments)
                {
                    throw new PickleDataException(function.FullName + " needs an argument tuple, not " + PickleValue.Describe(arguments[2]));
                }

                return ExpectTensor(function, Reduce(inner, innerArguments));
            case TorchCallableKind.Size:
                ExpectArguments(function, arguments, 1, 1);
                return arguments[0] as PickleTuple
                    ?? throw new PickleDataException("torch.Size needs a tuple, not " + PickleValue.Describe(arguments[0]));
            default:
                throw new PickleDataException(function.FullName + " cannot be applied");
        }
    }

    public object? PersistentLoad(object? persistentId)
    {
        // torch.save writes ('storage', StorageType, key, location, element_count).
        if (persistentId is not PickleTuple id || id.Count != 5 || id[0] is not "storage")
        {
            throw new PickleDataException("a persistent id should be ('storage', type, key, location, size), not " + PickleValue.Describe(persistentId));
        }

        if (id[1] is not TorchStorageType type)
        {
            throw new PickleDataException("a storage's type should be a torch storage class, not " + PickleValue.Describe(id[1]));
        }

        if (id[2] is not string key || key.Length == 0)
        {
            throw new PickleDataException("a storage's key should be a non-empty str, not " + PickleValue.Describe(id[2]));
        }

        return new TorchStorageRef(key, type);
    }

    public void Build(object? target, object? state)
    {
        // BUILD would set attributes (OrderedDict._metadata, tensor subclass state). Nothing of it is needed.
    }

    private static PickleDict BuildOrderedDict(PickleTuple arguments)
    {
        var dict = new PickleDict();
        if (arguments.Count == 0)
        {
            return dict;
        }

        if (arguments.Count == 1)
        {
            var items = arguments[0] switch
            {
                PickleList list => list.Items,
                PickleTuple tuple => (IReadOnlyList<object?>)tuple,
                _ => null,
            };
            if (items is not null)
            {
                foreach (object? item in items)
                {
                    if (item is not PickleTuple pair || pair.Count != 2)
                    {
                        throw new PickleDataException("collections.OrderedDict needs (key, value) pairs, not " + PickleValue.Describe(item));
                    }

                    dict.Set(pair[0], pair[1]);
                }

                return dict;
            }

            if (arguments[0] is PickleDict source)
            {
                foreach (var entry in source.Entries)
                {
                    dict.Set(entry.Key, entry.Value);
                }

                return dict;
            }
        }

        throw new PickleDataException("collections.OrderedDict needs no argument or a list of (key, value) pairs");
    }

    private static TorchTensorRef BuildTensor(PickleTuple arguments)
    {
        if (arguments[0] is not TorchStorageRef storage)
        {
            throw new PickleDataException("a tensor needs a storage, not " + PickleValue.Describe(arguments[0]));
        }

        long offset = PickleValue.ToInt64(arguments[1], "a tensor's storage offset");
        if (offset < 0)
        {
            throw new PickleDataException("a tensor's storage offset is negative");
        }

        if (arguments[2] is not PickleTuple size || arguments[3] is not PickleTuple stride)
        {
            throw new PickleDataException("a tensor's size and stride should be tuples");
        }

        if (size.Count != stride.Count)
        {
            throw new PickleDataException(string.Format(CultureInfo.InvariantCulture,
                "a tensor has {0} sizes but {1} strides", size.Count, stride.Count));
        }

        var shape = new int[size.Count];
        var strides = new long[size.Count];
        long elements = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            long extent = PickleValue.ToInt64(size[i], "a tensor's size");
            strides[i] = PickleValue.ToInt64(stride[i], "a tensor's stride");
            if (extent < 0 || strides[i] < 0)
            {
                throw new PickleDataException("a tensor has a negative size or stride");
            }

            if (extent > MaxElements || (extent > 0 && elements > MaxElements / extent))
            {
                throw new PickleDataException(string.Format(CultureInfo.InvariantCulture,
                    "a tensor has more than {0} elements", MaxElements));
            }

            shape[i] = (int)extent;
            elements *= extent;
        }

        return new TorchTensorRef(storage, offset, shape, strides);
    }

    private static void ExpectArguments(TorchCallable function, PickleTuple arguments, int min, int max)
    {
        if (arguments.Count < min || arguments.Count > max)
        {
            string expected = min == max
                ? min.ToString(CultureInfo.InvariantCulture)
                : string.Format(CultureInfo.InvariantCulture, "{0} to {1}", min, max);
            throw new PickleDataException(string.Format(CultureInfo.InvariantCulture,
                "{0} takes {1} arguments, not {2}", function.FullName, expected, arguments.Count));
        }
    }

    private static object ExpectTensor(TorchCallable function, object? value) => value switch
    {
        TorchTensorRef or UnsupportedTensor => value,
        _ => throw new PickleDataException(function.FullName + " needs a tensor, not " + PickleValue.Describe(value)),
    };
}
