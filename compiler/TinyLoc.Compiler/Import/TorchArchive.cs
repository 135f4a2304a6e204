using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;
using TinyLoc.Compiler.Diagnostics;

namespace TinyLoc.Compiler.Import;

/// <summary>
/// The zip container of a <c>torch.save</c> file (PyTorch &gt;= 1.6): <c>TOP/data.pkl</c>, storages at
/// <c>TOP/data/KEY</c>, <c>TOP/version</c> and, in newer versions, <c>TOP/byteorder</c>. TOP is usually the
/// file's stem when it was saved (or <c>archive</c>), so it is found, not assumed.
/// </summary>
internal sealed class TorchArchive : IDisposable
{
    private static readonly byte[] LegacyMagic = { 0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19 };

    private readonly ZipArchive _zip;
    private readonly SourceLocation _location;
    private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.Ordinal);
    private long _inflated;

    private TorchArchive(ZipArchive zip, SourceLocation location)
    {
        _zip = zip;
        _location = location;
        foreach (var entry in zip.Entries)
        {
            if (_entries.ContainsKey(entry.FullName))
            {
                // torch.load would read the last of the two and this reader the first: the same file would
                // mean different weights, so neither is taken.
                throw NotZip(location, $"it holds two entries named '{entry.FullName}', so its contents are ambiguous");
            }

            _entries.Add(entry.FullName, entry);
        }

        Prefix = FindPrefix();
    }

    /// <summary>The top folder with a trailing slash (e.g. <c>mlp/</c>), or empty when data.pkl is at the root.</summary>
    public string Prefix { get; }

    /// <summary>The name of the pickle entry.</summary>
    public string PickleEntryName => Prefix + "data.pkl";

    /// <summary>Opens the archive in <paramref name="bytes"/>, or throws TL1002 saying why it is not one.</summary>
    public static TorchArchive Open(byte[] bytes, SourceLocation location)
    {
        if (bytes.Length == 0)
        {
            throw NotZip(location, "the file is empty (0 bytes)");
        }

        if (StartsWith(bytes, LegacyMagic))
        {
            throw NotZip(location, "it is in the legacy torch.save format of PyTorch < 1.6, which is not supported");
        }

        if (bytes.Length < 4 || bytes[0] != (byte)'P' || bytes[1] != (byte)'K')
        {
            throw NotZip(location, "it does not start with a zip signature");
        }

        ZipArchive zip;
        try
        {
            zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException)
        {
            throw NotZip(location, "the zip directory at the end of the file is missing or damaged (the file may be truncated)");
        }

        try
        {
            return new TorchArchive(zip, location);
        }
        catch (InvalidDataException)
        {
            zip.Dispose();
            throw NotZip(location, "the zip directory is damaged");
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The byte order the archive declares: only little-endian is supported (true); a missing entry means
    /// little-endian (PyTorch before 1.12 wrote none).
    /// </summary>
    public bool IsLittleEndian()
    {
        string name = Prefix + "byteorder";
        if (!_entries.ContainsKey(name))
        {
            return true;
        }

        string order = Encoding.ASCII.GetString(ReadEntry(name)).Trim();
        return order switch
        {
            "little" => true,
            "big" => false,
            _ => throw NotZip(_location, "the entry '" + name + "' says '" + order + "', not 'little' or 'big'"),
        };
    }

    /// <summary>The storage entry name for a persistent-id key.</summary>
    public string StorageEntryName(string key) => Prefix + "data/" + key;

    /// <summary>Reads a whole entry; throws TL1003 when it is missing and TL1002 when it is damaged.</summary>
    public byte[] ReadEntry(string name)
    {
        if (!_entries.TryGetValue(name, out var entry))
        {
            throw new DiagnosticException(DiagnosticDescriptors.CheckpointMissingEntry, _location, name);
        }

        // Zip entries may be compressed: what they inflate to is bounded in all, before it is allocated, so a
        // small file cannot expand to gigabytes (torch.save stores entries uncompressed, at their real size).
        if (entry.Length > Util.InputLimits.MaxCheckpointBytes - _inflated)
        {
            throw new DiagnosticException(DiagnosticDescriptors.CheckpointOverLimit, _location, string.Format(System.Globalization.CultureInfo.InvariantCulture,
                "the zip entry '{0}' inflates to {1:N0} bytes, and the entries read inflate to more than the limit of {2:N0} bytes in all ({3:N0} bytes compressed)",
                name, entry.Length, Util.InputLimits.MaxCheckpointBytes, entry.CompressedLength));
        }

        _inflated += entry.Length;

        try
        {
            var bytes = new byte[entry.Length];
            using var stream = entry.Open();
            int read = 0;
            while (read < bytes.Length)
            {
                int n = stream.Read(bytes, read, bytes.Length - read);
                if (n == 0)
                {
                    throw NotZip(_location, "the entry '" + name + "' is cut short (the file may be truncated)");
                }

                read += n;
            }

            return bytes;
        }
        catch (Exception ex) when (ex is InvalidDataException or NotSupportedException or IOException)
        {
            throw NotZip(_location, "the entry '" + name + "' cannot be read (" + ex.Message + ")");
        }
    }

    public void Dispose() => _zip.Dispose();

    private string FindPrefix()
    {
        // torch.save writes exactly one TOP/data.pkl; take the first top-level one in directory order.
        foreach (var entry in _zip.Entries)
        {
            string name = entry.FullName;
            if (name == "data.pkl")
            {
                return string.Empty;
            }

            if (name.EndsWith("/data.pkl", StringComparison.Ordinal) && name.IndexOf('/') == name.Length - "/data.pkl".Length)
            {
                return name.Substring(0, name.Length - "data.pkl".Length);
            }
        }

        throw new DiagnosticException(DiagnosticDescriptors.CheckpointMissingEntry, _location, "*/data.pkl");
    }

    private static bool StartsWith(byte[] bytes, byte[] prefix)
    {
        if (bytes.Length < prefix.Length)
        {
            return false;
        }

        for (int i = 0; i < prefix.Length; i++)
        {
            if (bytes[i] != prefix[i])
            {
                return false;
            }
        }

        return true;
    }

    private static DiagnosticException NotZip(SourceLocation location, string reason) =>
        new(DiagnosticDescriptors.CheckpointNotZip, location, reason);
}
