using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using TinyLoc.Generator.Pipeline;

namespace TinyLoc.Generator.Caching;

/// <summary>
/// A <see cref="ModelResult"/> as bytes, and back. Layout: <c>TLRC</c>, the format version, the
/// <see cref="CacheKey"/>, the result (strings as a length and strict UTF-8, so every string comes back as it
/// was or not at all), then the SHA-256 of all that. <see cref="Decode"/> gives null for anything else: another
/// key, another format, a truncated, padded or altered file.
/// </summary>
internal static class CacheEntry
{
    /// <summary>Changed whenever the layout changes.</summary>
    private const int FormatVersion = 1;

    private const int HashLength = 32;

    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("TLRC");

    /// <summary>Throws on invalid UTF-16 (a lone surrogate) when writing and on invalid UTF-8 when reading, instead of replacing it.</summary>
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The entry for <paramref name="result"/> under <paramref name="key"/>.</summary>
    /// <param name="key">The job's <see cref="CacheKey"/>.</param>
    /// <param name="result">The compiler's result for that job.</param>
    /// <exception cref="EncoderFallbackException">A string of the result is not valid UTF-16; it is not cached.</exception>
    public static byte[] Encode(byte[] key, ModelResult result)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Strict, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(key);
            Write(writer, result.ManifestPath);
            Write(writer, result.TypeName);
            Write(writer, result.Source);
            writer.Write(result.Diagnostics.Count);
            foreach (var d in result.Diagnostics)
            {
                Write(writer, d.Id);
                Write(writer, d.Message);
                var at = d.Location;
                Write(writer, at.Path);
                foreach (int n in new[] { at.Start, at.Length, at.StartLine, at.StartColumn, at.EndLine, at.EndColumn })
                {
                    writer.Write(n);
                }
            }
        }

        using var sha = SHA256.Create();
        byte[] hash = sha.ComputeHash(stream.GetBuffer(), 0, (int)stream.Length);
        stream.Write(hash, 0, hash.Length);
        return stream.ToArray();
    }

    /// <summary>The result in <paramref name="entry"/> if it is a whole, unaltered entry for <paramref name="key"/> and <paramref name="manifestPath"/>; else null. Never throws.</summary>
    /// <param name="entry">The bytes of a cache file.</param>
    /// <param name="key">The job's <see cref="CacheKey"/>.</param>
    /// <param name="manifestPath">The job's manifest.</param>
    public static ModelResult? Decode(byte[] entry, byte[] key, string manifestPath)
    {
        int body = entry.Length - HashLength;
        if (body < Magic.Length + 4 + key.Length)
        {
            return null;
        }

        using (var sha = SHA256.Create())
        {
            if (!sha.ComputeHash(entry, 0, body).AsSpan().SequenceEqual(entry.AsSpan(body)))
            {
                return null;
            }
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(entry, 0, body, writable: false), Strict);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) || reader.ReadInt32() != FormatVersion
                || !reader.ReadBytes(key.Length).AsSpan().SequenceEqual(key))
            {
                return null;
            }

            string? path = Read(reader);
            string? typeName = Read(reader);
            string? source = Read(reader);
            int count = reader.ReadInt32();
            if (path != manifestPath || count < 0 || count > body)
            {
                return null;
            }

            var diagnostics = new List<DiagnosticInfo>(count);
            for (int i = 0; i < count; i++)
            {
                string? id = Read(reader);
                string? message = Read(reader);
                string? file = Read(reader);
                int[] n = Enumerable.Range(0, 6).Select(_ => reader.ReadInt32()).ToArray();
                if (id is null || message is null || file is null)
                {
                    return null;
                }

                diagnostics.Add(new DiagnosticInfo(id, message, new LocationInfo(file, n[0], n[1], n[2], n[3], n[4], n[5])));
            }

            bool whole = reader.BaseStream.Position == body && (typeName is null) == (source is null);
            return whole ? new ModelResult(path, typeName, source, EquatableArray.From(diagnostics)) : null;
        }
        catch (Exception e) when (e is IOException or ArgumentException or DecoderFallbackException or OverflowException)
        {
            return null; // EndOfStreamException is an IOException
        }
    }

    private static void Write(BinaryWriter writer, string? text)
    {
        if (text is null)
        {
            writer.Write(-1);
            return;
        }

        byte[] bytes = Strict.GetBytes(text);
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    private static string? Read(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        if (length < 0)
        {
            return length == -1 ? null : throw new IOException("negative length");
        }

        var stream = reader.BaseStream;
        if (length > stream.Length - stream.Position)
        {
            throw new EndOfStreamException();
        }

        return Strict.GetString(reader.ReadBytes(length));
    }
}
