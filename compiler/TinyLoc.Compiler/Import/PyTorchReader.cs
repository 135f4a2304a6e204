using System;
using System.Collections.Generic;
using TinyLoc.Compiler.Diagnostics;
using TinyLoc.Compiler.Import.Pickle;

namespace TinyLoc.Compiler.Import;

/// <summary>
/// Reads a PyTorch checkpoint written by <c>torch.save(model.state_dict(), path)</c> (the zip format of
/// PyTorch &gt;= 1.6) without Python: the pickle is run by a restricted unpickler that executes nothing and
/// accepts only an allowlist of globals, and the tensors are read from the archive's storages.
/// </summary>
public static class PyTorchReader
{
    /// <summary>
    /// Returns the state dict (tensors in state-dict order, converted to float32 row-major), or null after
    /// reporting one error in <paramref name="diagnostics"/> located at <paramref name="path"/>. Never throws.
    /// </summary>
    public static StateDict? Read(string path, DiagnosticBag diagnostics) => Read(path, diagnostics, Util.FileSource.Disk);

    /// <summary>As <see cref="Read(string, DiagnosticBag)"/>, reading the file through <paramref name="files"/>.</summary>
    public static StateDict? Read(string path, DiagnosticBag diagnostics, Util.FileSource files) =>
        CheckpointFile.Guard(path, diagnostics, DiagnosticDescriptors.CheckpointNotZip, location => ReadCore(path, location, files));

    private static StateDict ReadCore(string path, SourceLocation location, Util.FileSource files)
    {
        byte[] bytes = CheckpointFile.ReadAllBytes(path, location, files);
        using var archive = TorchArchive.Open(bytes, location);
        byte[] pickle = archive.ReadEntry(archive.PickleEntryName);
        object? root = RestrictedUnpickler.Load(pickle, new TorchUnpicklerPolicy(location), location);
        var entries = TorchStateDictExtractor.Extract(root, location);
        bool littleEndian = archive.IsLittleEndian();

        var storages = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var tensors = new List<CheckpointTensor>(entries.Count);
        var budget = new TensorBudget(location);
        foreach (var entry in entries)
        {
            tensors.Add(Materialize(entry.Key, entry.Value, archive, storages, budget, littleEndian, location));
        }

        return new StateDict(path, tensors);
    }

    private static CheckpointTensor Materialize(
        string name, object value, TorchArchive archive, Dictionary<string, byte[]> storages, TensorBudget budget, bool littleEndian, SourceLocation location)
    {
        if (value is UnsupportedTensor unsupported)
        {
            throw new DiagnosticException(DiagnosticDescriptors.UnsupportedDtype, location, name, unsupported.ElementTypeText);
        }

        var tensor = (TorchTensorRef)value;
        TorchStorageType type = tensor.Storage.Type;
        if (type.Element is not ElementType element)
        {
            throw new DiagnosticException(DiagnosticDescriptors.UnsupportedDtype, location, name, type.DtypeName);
        }

        if (!littleEndian)
        {
            throw new DiagnosticException(DiagnosticDescriptors.UnsupportedDtype, location, name,
                type.DtypeName + " stored big-endian (the archive's byteorder entry says 'big'; only little-endian is read)");
        }

        string entryName = archive.StorageEntryName(tensor.Storage.Key);
        if (!storages.TryGetValue(entryName, out byte[]? storage))
        {
            storage = archive.ReadEntry(entryName);
            storages.Add(entryName, storage);
            budget.AddData(storage.Length);
        }

        long needed = StridedTensorReader.RequiredBytes(tensor.StorageOffset, tensor.Shape, tensor.Strides, type.ItemSize);
        if (needed > storage.Length)
        {
            throw new DiagnosticException(DiagnosticDescriptors.StorageTooShort, location, name, needed, entryName, storage.Length);
        }

        budget.Take(name, tensor.Shape);

        float[] values = StridedTensorReader.Read(storage, element, tensor.StorageOffset, tensor.Shape, tensor.Strides);
        return new CheckpointTensor(name, element, tensor.Shape, values);
    }
}
