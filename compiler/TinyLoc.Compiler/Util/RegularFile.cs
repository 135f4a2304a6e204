using System;
using System.IO;
using TinyLoc.Compiler.Diagnostics;

namespace TinyLoc.Compiler.Util;

/// <summary>
/// Opens files from the disk only when they are regular files of bounded size, deciding before the file is
/// opened: opening a FIFO blocks, and a device such as <c>/dev/zero</c> never ends. The test is the size the
/// file system reports for where the path really leads (links resolved): FIFOs, devices, sockets and
/// <c>/proc</c> files report 0 bytes, so a file is read only when it has a size, and at most that many bytes
/// are read. Refusals are TL1012 (not a regular file) and TL1013 (over <c>maxBytes</c>); a missing file is
/// the usual <see cref="FileNotFoundException"/>.
/// </summary>
public static class RegularFile
{
    /// <summary>The whole file, refused (see the class) unless it is a regular file of 1 to <paramref name="maxBytes"/> bytes.</summary>
    /// <param name="path">The file, as the user or manifest named it (diagnostics name it so).</param>
    /// <param name="maxBytes">The limit from <see cref="InputLimits"/>.</param>
    /// <param name="what">What the file is, for the TL1013 message ("a checkpoint").</param>
    public static byte[] ReadAllBytes(string path, long maxBytes, string what)
    {
        long length = Check(path, maxBytes, what, out string real);
        using var stream = new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var bytes = new byte[length];
        int read = 0;
        while (read < bytes.Length)
        {
            int n = stream.Read(bytes, read, bytes.Length - read);
            if (n == 0)
            {
                // The file shrank between the size check and the read: what was there is what it holds.
                Array.Resize(ref bytes, read);
                break;
            }

            read += n;
        }

        return bytes;
    }

    /// <summary>A stream over the file, after the same checks as <see cref="ReadAllBytes"/>.</summary>
    public static Stream OpenRead(string path, long maxBytes, string what)
    {
        Check(path, maxBytes, what, out string real);
        return new FileStream(real, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
    }

    /// <summary>The file's size, after refusing folders, files without a size and files over the limit.</summary>
    private static long Check(string path, long maxBytes, string what, out string real)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw new FileNotFoundException("the path is empty", path);
        }

        real = RealPath.Of(path);
        string leads = real == Path.GetFullPath(path) ? string.Empty : " ('" + real + "')";
        if (Directory.Exists(real))
        {
            throw NotRegular(path, "it is a folder" + leads);
        }

        var info = new FileInfo(real);
        if (!info.Exists)
        {
            throw new FileNotFoundException("the file does not exist", path);
        }

        if (info.Length == 0)
        {
            throw NotRegular(path, "the file system gives it no size" + leads
                + ": it is empty, or a FIFO, a device (such as /dev/zero), a socket or a /proc file, which are never opened");
        }

        if (info.Length > maxBytes)
        {
            throw new DiagnosticException(DiagnosticDescriptors.FileTooLarge, new SourceLocation(path), info.Length, maxBytes, what);
        }

        return info.Length;
    }

    private static DiagnosticException NotRegular(string path, string reason) =>
        new(DiagnosticDescriptors.NotRegularFile, new SourceLocation(path), reason);
}
