using System;
using System.Collections.Generic;

namespace TinyLoc.Compiler.Import.Pickle;

/// <summary>
/// The allowlist: every global a PyTorch checkpoint may name, keyed by <c>module.name</c>. A pickle naming
/// anything else (a model class, <c>posix.system</c>, <c>builtins.eval</c>, …) is refused with TL1004. Nothing on
/// the list is ever imported or called; each entry is an inert description the policy interprets.
/// </summary>
internal static class TorchGlobals
{
    private static readonly Dictionary<string, TorchGlobal> ByName = Build();

    /// <summary>Looks up a global by module and name exactly as the pickle spells them.</summary>
    public static bool TryGet(string module, string name, out TorchGlobal global) =>
        ByName.TryGetValue(module + "." + name, out global!);

    /// <summary>All allowlisted names, for documentation and tests.</summary>
    public static IEnumerable<string> Names => ByName.Keys;

    private static Dictionary<string, TorchGlobal> Build()
    {
        var map = new Dictionary<string, TorchGlobal>(StringComparer.Ordinal);

        void Callable(string fullName, TorchCallableKind kind) => map.Add(fullName, new TorchCallable(fullName, kind));

        Callable("collections.OrderedDict", TorchCallableKind.OrderedDict);
        Callable("torch._utils._rebuild_tensor", TorchCallableKind.RebuildTensor);
        Callable("torch._utils._rebuild_tensor_v2", TorchCallableKind.RebuildTensorV2);
        Callable("torch._utils._rebuild_parameter", TorchCallableKind.RebuildParameter);
        Callable("torch._utils._rebuild_parameter_with_state", TorchCallableKind.RebuildParameterWithState);
        Callable("torch._utils._rebuild_qtensor", TorchCallableKind.RebuildQuantizedTensor);
        Callable("torch._tensor._rebuild_from_type_v2", TorchCallableKind.RebuildFromTypeV2);
        Callable("torch.Size", TorchCallableKind.Size);

        void Storage(string className, string dtypeName, ElementType? element, int itemSize)
        {
            foreach (string module in new[] { "torch", "torch.cuda" })
            {
                string fullName = module + "." + className;
                map.Add(fullName, new TorchStorageType(fullName, dtypeName, element, itemSize));
            }
        }

        Storage("FloatStorage", "float32", ElementType.Float32, 4);
        Storage("DoubleStorage", "float64", ElementType.Float64, 8);
        Storage("HalfStorage", "float16", ElementType.Float16, 2);
        Storage("BFloat16Storage", "bfloat16", ElementType.BFloat16, 2);
        Storage("LongStorage", "int64", ElementType.Int64, 8);
        Storage("IntStorage", "int32", ElementType.Int32, 4);
        Storage("ShortStorage", "int16", ElementType.Int16, 2);
        Storage("CharStorage", "int8", ElementType.Int8, 1);
        Storage("ByteStorage", "uint8", ElementType.UInt8, 1);
        Storage("BoolStorage", "bool", ElementType.Bool, 1);

        // Recognised so that the error is "type not supported" (TL1008) rather than "global not allowed".
        Storage("ComplexFloatStorage", "complex64", null, 8);
        Storage("ComplexDoubleStorage", "complex128", null, 16);
        Storage("QInt8Storage", "qint8", null, 1);
        Storage("QUInt8Storage", "quint8", null, 1);
        Storage("QInt32Storage", "qint32", null, 4);
        Storage("QUInt4x2Storage", "quint4x2", null, 1);
        Storage("QUInt2x4Storage", "quint2x4", null, 1);

        string[] markers =
        {
            // dtypes (quantised state dicts store e.g. '_packed_params.dtype' = torch.qint8)
            "float32", "float", "float64", "double", "float16", "half", "bfloat16", "int64", "long", "int32", "int",
            "int16", "short", "int8", "uint8", "bool", "complex64", "complex128", "qint8", "quint8", "qint32", "quint4x2",

            // quantisation schemes (arguments of _rebuild_qtensor)
            "per_tensor_affine", "per_channel_affine", "per_tensor_symmetric", "per_channel_symmetric",
            "per_channel_affine_float_qparams",

            // tensor classes (the new_type argument of _rebuild_from_type_v2)
            "Tensor",
        };
        foreach (string marker in markers)
        {
            map.Add("torch." + marker, new TorchMarker("torch." + marker));
        }

        map.Add("torch.nn.parameter.Parameter", new TorchMarker("torch.nn.parameter.Parameter"));
        return map;
    }
}
