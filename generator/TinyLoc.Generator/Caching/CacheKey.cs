using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using TinyLoc.Compiler.Util;
using TinyLoc.Generator.Pipeline;

namespace TinyLoc.Generator.Caching;

/// <summary>
/// The SHA-256 of everything a model's <see cref="ModelResult"/> depends on, so that equal keys mean equal
/// results: the manifest's path and text, its settings, each referenced file's path and bytes, where the
/// manifest's folder and those files really lead (the compiler's TL1014 check resolves links on the disk), and
/// the code that computes the result (the module version ids of the generator, the compiler and the assemblies
/// the compiler references by name and version, and the runtime).
/// Content only, never a timestamp.
/// </summary>
internal static class CacheKey
{
    /// <summary>The key's length in bytes (SHA-256).</summary>
    public const int Length = 32;

    /// <summary>
    /// The code that turns a job into a result. A module version id changes with every change to an assembly's
    /// content (the builds are deterministic, so it is a hash of the content); the compiler's templates are
    /// embedded in it. The runtime is there because float formatting has differed between .NET Framework
    /// (Visual Studio's compiler host) and .NET, which may share one obj folder.
    /// </summary>
    private static readonly string Code = CodeIdentity();

    /// <summary>
    /// True when <paramref name="job"/> is worth caching: the manifest was read and every referenced file is an
    /// AdditionalFile that was read. The other outcomes are diagnostics found before the compiler runs, and
    /// cost nothing to recompute.
    /// </summary>
    /// <param name="job">One model's job.</param>
    public static bool IsCacheable(ModelJob job) =>
        job.Request.Problem is null && job.Request.Text is not null && job.Missing.IsEmpty && job.Files.All(f => f.Error is null);

    /// <summary>The key of <paramref name="job"/> (which must be <see cref="IsCacheable"/>).</summary>
    /// <param name="job">One model's job.</param>
    public static byte[] Of(ModelJob job)
    {
        var request = job.Request;
        var settings = request.Settings;
        using var sha = SHA256.Create();
        var key = new KeyWriter(sha);
        key.Add(Code);
        key.Add(request.ManifestPath);
        key.Add(RealPath.Of(Path.GetDirectoryName(request.ManifestPath) ?? "."));
        key.Add(request.Text);
        foreach (string? setting in new[] { settings.Target, settings.Namespace, settings.RamBudget, settings.FlashBudget, settings.Unroll, settings.Scheme, settings.Runtime, settings.Schedule })
        {
            key.Add(setting);
        }

        key.Add(job.Files.Count);
        foreach (var file in job.Files)
        {
            key.Add(file.Path);
            key.Add(RealPath.Of(file.Path));
            key.Add(file.Bytes.AsSpan().ToArray());
        }

        return key.Finish();
    }

    private static string CodeIdentity()
    {
        Assembly generator = typeof(CacheKey).Assembly;
        Assembly compiler = typeof(RealPath).Assembly;
        var parts = new[] { generator, compiler }.Select(a => a.GetName().Name + " " + a.ManifestModule.ModuleVersionId.ToString("N"))
            .Concat(compiler.GetReferencedAssemblies().Select(a => a.FullName).OrderBy(n => n, StringComparer.Ordinal))
            .Append(RuntimeInformation.FrameworkDescription);
        return string.Join("\n", parts);
    }

    /// <summary>Feeds length-prefixed fields to the hash, so that no two different field lists give the same bytes.</summary>
    private sealed class KeyWriter(HashAlgorithm sha)
    {
        private readonly byte[] _int = new byte[4];

        public void Add(int value)
        {
            _int[0] = (byte)value;
            _int[1] = (byte)(value >> 8);
            _int[2] = (byte)(value >> 16);
            _int[3] = (byte)(value >> 24);
            sha.TransformBlock(_int, 0, 4, null, 0);
        }

        /// <summary>A string as its UTF-16 code units (not UTF-8, which would map every lone surrogate to one replacement character).</summary>
        public void Add(string? text)
        {
            if (text is null)
            {
                Add(-1);
                return;
            }

            Add(MemoryMarshal.AsBytes(text.AsSpan()).ToArray());
        }

        public void Add(byte[] bytes)
        {
            Add(bytes.Length);
            sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
        }

        public byte[] Finish()
        {
            sha.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
            return sha.Hash!;
        }
    }
}
