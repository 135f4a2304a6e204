using System;
using System.IO;
using System.Linq;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using TinyLoc.Generator.Compiling;
using TinyLoc.Generator.Diagnostics;
using TinyLoc.Generator.Pipeline;

namespace TinyLoc.Generator.Caching;

/// <summary>
/// Keeps each model's last <see cref="ModelResult"/> in a file under the project's <c>obj/</c> folder, so a
/// build whose generator driver is new (every command-line build without the compiler server's driver cache:
/// a new compiler process, the server restarted) does not run the compiler again for a model whose content
/// and settings are unchanged.
/// </summary>
/// <remarks>
/// <para>
/// Why files: the generator's incremental pipeline caches in memory only, for as long as the compiler keeps
/// the generator driver; a command-line build often starts with a new one, and compiling a model takes about
/// 0.3 s. The generator reads and writes one folder that the build names (<c>TinyLocCacheDirectory</c>,
/// by default <c>$(IntermediateOutputPath)tinyloc/</c>) and nothing else; with no folder named (as in the
/// tests' drivers, unless they name one) there is no cache. RS1035 (no file IO in analyzers) is suppressed for
/// this class alone for that reason.
/// </para>
/// <para>
/// Why it is safe: an entry is found by the model's manifest path (one file per model, so the folder does
/// not grow) and used only when it holds the <see cref="CacheKey"/> of the job, the hash of everything the
/// result depends on, content not timestamps; the whole entry is checked against its own SHA-256, so a
/// truncated, corrupt or foreign file is a miss and the model is compiled. Entries are written to a new
/// temporary file and renamed over the old one, so a reader sees an old entry or a new one, never half of
/// one. Every IO problem is a miss (reading) or is ignored (writing): the cache never adds a diagnostic.
/// A result holding TL6005 (the generator failed unexpectedly) is not kept.
/// </para>
/// </remarks>
#pragma warning disable RS1035 // File IO in the generator's own cache folder under obj/: see the remarks.
internal static class ResultCache
{
    /// <summary>Cache files end so.</summary>
    public const string Extension = ".tlresult";

    /// <summary>Entries larger than this are not read (a generated class is well under a megabyte).</summary>
    private const long MaxEntryBytes = 64L * 1024 * 1024;

    /// <summary>
    /// The result of <paramref name="job"/>: from the cache in <paramref name="folder"/> when it holds the job's
    /// key, else from the compiler (then kept in the cache). Never throws (but for cancellation).
    /// </summary>
    /// <param name="job">One model's job.</param>
    /// <param name="folder">The cache folder, or empty for no cache.</param>
    /// <param name="compiling">Called with the manifest's path each time the compiler runs (tests count the runs), or null.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public static ModelResult Compile(ModelJob job, string folder, Action<string>? compiling, CancellationToken cancellationToken)
    {
        string path = job.Request.ManifestPath;
        if (folder.Length == 0 || !CacheKey.IsCacheable(job))
        {
            compiling?.Invoke(path);
            return ModelCompiler.Compile(job, cancellationToken);
        }

        byte[] key;
        string file;
        try
        {
            key = CacheKey.Of(job);
            file = EntryPath(folder, path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException or CryptographicException)
        {
            compiling?.Invoke(path);
            return ModelCompiler.Compile(job, cancellationToken);
        }

        if (TryRead(file) is { } entry && CacheEntry.Decode(entry, key, path) is { } cached)
        {
            return cached;
        }

        cancellationToken.ThrowIfCancellationRequested();
        compiling?.Invoke(path);
        var result = ModelCompiler.Compile(job, cancellationToken);
        if (result.Diagnostics.All(d => d.Id != GeneratorDiagnostics.GeneratorFailed.Id))
        {
            TryWrite(folder, file, key, result);
        }

        return result;
    }

    /// <summary>The one cache file of the model at <paramref name="manifestPath"/>: its name, made safe, and a hash of its full path.</summary>
    /// <param name="folder">The cache folder.</param>
    /// <param name="manifestPath">The manifest's full path.</param>
    public static string EntryPath(string folder, string manifestPath)
    {
        string name = Path.GetFileName(manifestPath);
        name = name.Substring(0, name.Length - Math.Min(name.Length, Parsing.RequestReader.ManifestSuffix.Length));
        var safe = new string(name.Take(40).Select(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-' ? c : '_').ToArray());
        using var sha = SHA256.Create();
        byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(manifestPath));
        string id = string.Concat(hash.Take(8).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        return Path.Combine(folder, safe + "." + id + Extension);
    }

    private static byte[]? TryRead(string file)
    {
        try
        {
            var info = new FileInfo(file);
            return info.Exists && info.Length <= MaxEntryBytes ? File.ReadAllBytes(file) : null;
        }
        catch (Exception e) when (IsIo(e))
        {
            return null;
        }
    }

    private static void TryWrite(string folder, string file, byte[] key, ModelResult result)
    {
        string temp = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            byte[] entry = CacheEntry.Encode(key, result);
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(temp, entry);
            if (File.Exists(file))
            {
                File.Replace(temp, file, destinationBackupFileName: null);
            }
            else
            {
                File.Move(temp, file);
            }
        }
        catch (Exception e) when (IsIo(e) || e is EncoderFallbackException)
        {
            // Not kept: the next build compiles the model again (another build may have written the same entry).
        }
        finally
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception e) when (IsIo(e))
            {
                // A leftover temporary file is never read (it does not end in Extension).
            }
        }
    }

    private static bool IsIo(Exception e) =>
        e is IOException or UnauthorizedAccessException or SecurityException or ArgumentException or NotSupportedException;
}
#pragma warning restore RS1035
