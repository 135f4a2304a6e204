using System.Collections.Generic;
using System.IO;
using System.IO.Compression;

namespace TinyLoc.Compiler.Tests.Import;

/// <summary>Writes a zip laid out like <c>torch.save</c>'s: TOP/data.pkl, TOP/data/KEY, TOP/version.</summary>
internal static class TorchZipWriter
{
    public static void Write(string path, string top, byte[] pickle, IEnumerable<KeyValuePair<string, byte[]>> storages, string? byteOrder = null)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        Add(zip, top + "/data.pkl", pickle);
        if (byteOrder is not null)
        {
            Add(zip, top + "/byteorder", System.Text.Encoding.ASCII.GetBytes(byteOrder));
        }

        foreach (var storage in storages)
        {
            Add(zip, top + "/data/" + storage.Key, storage.Value);
        }

        Add(zip, top + "/version", new byte[] { (byte)'3', (byte)'\n' });
    }

    private static void Add(ZipArchive zip, string name, byte[] data)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        using var stream = entry.Open();
        stream.Write(data, 0, data.Length);
    }
}
