using System;
using System.IO;
using System.Runtime.InteropServices;

namespace TinyLoc.Compiler.Util;

/// <summary>
/// Where a path really leads: absolute, with every symbolic link resolved (POSIX <c>realpath</c>), so that a
/// file's type and size are its target's and a folder check cannot be fooled by a link. On Windows, and
/// when the path does not exist, the path made absolute without resolving links.
/// </summary>
public static class RealPath
{
    private static bool _unavailable = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    /// <summary>The resolved absolute path of <paramref name="path"/>; never throws for a path without NUL.</summary>
    public static string Of(string path)
    {
        string full = Path.GetFullPath(path);
        if (_unavailable)
        {
            return full;
        }

        try
        {
            IntPtr resolved = NativeRealPath(full, IntPtr.Zero);
            if (resolved == IntPtr.Zero)
            {
                return full;
            }

            try
            {
                return Marshal.PtrToStringAnsi(resolved) ?? full;
            }
            finally
            {
                NativeFree(resolved);
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or ArgumentException)
        {
            _unavailable = e is not ArgumentException;
            return full;
        }
    }

    [DllImport("libc", EntryPoint = "realpath", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern IntPtr NativeRealPath(string path, IntPtr resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void NativeFree(IntPtr pointer);
}
