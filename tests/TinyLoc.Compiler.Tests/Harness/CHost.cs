using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using TinyLoc.Tests.Shared;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>
/// Compiles generated C with the host gcc (sanitizers on), runs it on given inputs and returns
/// the outputs bit for bit.
/// </summary>
/// <remarks>
/// The driver program comes from <see cref="CMainWriter"/>. Every build happens in a
/// <see cref="ScratchDirectory"/> that is deleted on success and kept (its path in the exception
/// message) on failure.
/// </remarks>
public static class CHost
{
    /// <summary>
    /// The flags every host compile uses unless <see cref="CHostOptions.Flags"/> overrides them:
    /// strict C99, all warnings as errors, no FP contraction (bit-exactness), ASan and UBSan with no
    /// recovery. <c>-g</c> (which never changes GCC's code) puts file and line into sanitizer reports.
    /// </summary>
    public static IReadOnlyList<string> DefaultFlags { get; } =
    [
        "-std=c99",
        "-Wall",
        "-Wextra",
        "-Werror",
        "-pedantic",
        "-O1",
        "-g",

        // Line tables for sanitizer reports, without variable-location tracking: its dataflow is superlinear in
        // a function's size and took two thirds of gcc's time on the sequence models' predict functions.
        "-fno-var-tracking",
        "-ffp-contract=off",
        "-fsanitize=address,undefined",

        // UBSan's null and alignment checks on every access through a pointer made gcc 10x slower on the
        // unrolled per-step layers of the sequence models (63 s vs 4-9 s for tiny_mdcsa_h16l1), whose row
        // pointers are taken from the arena's own elements; ASan still checks every access's bounds.
        "-fno-sanitize=null,alignment",
        "-fno-sanitize-recover=all",
    ];

    /// <summary>
    /// Builds and runs every <c>.c</c> and <c>.h</c> file directly in <paramref name="sourceFolder"/>
    /// (not sub-folders) with a driver for <paramref name="modelName"/>.
    /// </summary>
    /// <param name="sourceFolder">The folder of generated sources, e.g. holding <c>toy.h</c> and <c>toy.c</c>.</param>
    /// <param name="modelName">The model name, the prefix of every generated symbol.</param>
    /// <param name="inputs">At least one input vector; all of the model's input length.</param>
    /// <param name="classify">Also call <c>&lt;name&gt;_classify</c> and return its results.</param>
    /// <param name="options">Compiler and time limits, or null for <see cref="CHostOptions.Default"/>.</param>
    public static CRunResult Run(
        string sourceFolder,
        string modelName,
        float[][] inputs,
        bool classify = false,
        CHostOptions? options = null)
    {
        if (!Directory.Exists(sourceFolder))
        {
            throw new DirectoryNotFoundException($"Source folder '{sourceFolder}' does not exist.");
        }

        string[] files = Directory.EnumerateFiles(sourceFolder)
            .Where(f => IsSource(f) || IsHeader(f))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToArray();
        return Run(files, modelName, inputs, classify, options);
    }

    /// <summary>
    /// Builds and runs <paramref name="sourceFiles"/> with a driver for <paramref name="modelName"/>.
    /// <c>.c</c> files are compiled and linked; the folder of every file is on the include path.
    /// </summary>
    /// <param name="sourceFiles">The generated <c>.c</c> and <c>.h</c> files (and any runtime they need).</param>
    /// <param name="modelName">The model name, the prefix of every generated symbol.</param>
    /// <param name="inputs">At least one input vector; all of the model's input length.</param>
    /// <param name="classify">Also call <c>&lt;name&gt;_classify</c> and return its results.</param>
    /// <param name="options">Compiler and time limits, or null for <see cref="CHostOptions.Default"/>.</param>
    /// <exception cref="HarnessException">
    /// The code did not compile, the program failed (non-zero exit, sanitizer report, anything on
    /// stderr, time-out) or printed something unexpected on stdout.
    /// </exception>
    public static CRunResult Run(
        IEnumerable<string> sourceFiles,
        string modelName,
        float[][] inputs,
        bool classify = false,
        CHostOptions? options = null)
    {
        options ??= CHostOptions.Default;
        string[] files = CheckFiles(sourceFiles);
        string mainSource = CMainWriter.Write(modelName, inputs, classify);

        using ScratchDirectory scratch = ScratchDirectory.Create(modelName);
        string main = scratch.File("tinyloc_test_main.c");
        File.WriteAllText(main, mainSource);
        string program = scratch.File("model_test");

        var arguments = new List<string>(options.Flags);
        arguments.AddRange(IncludeFlags(files));
        arguments.Add(main);
        arguments.AddRange(files.Where(IsSource));
        arguments.AddRange(options.ExtraFlags);
        arguments.Add("-o");
        arguments.Add(program);
        ProcessResult compile = ProcessRunner.Run(options.Compiler, arguments, scratch.Path, options.CompileTimeout);
        if (!compile.Succeeded)
        {
            throw new HarnessException(
                $"C compile of model '{modelName}' failed (files kept in {scratch.Path}).\n{compile.Describe()}",
                scratch.Path);
        }

        ProcessResult run = ProcessRunner.Run(program, [], scratch.Path, options.RunTimeout, SanitizerEnvironment());
        if (!run.Succeeded || run.StandardError.Length > 0)
        {
            throw new HarnessException(
                $"Running the C build of model '{modelName}' failed (files kept in {scratch.Path}).\n{run.Describe()}",
                scratch.Path);
        }

        CRunResult result;
        try
        {
            result = ParseOutput(run.StandardOutput, inputs.Length, classify);
        }
        catch (FormatException e)
        {
            throw new HarnessException(
                $"The C build of model '{modelName}' printed unexpected output (files kept in {scratch.Path}): {e.Message}\n{run.Describe()}",
                e);
        }

        scratch.MarkSucceeded();
        return result;
    }

    /// <summary>
    /// Builds a program of the caller's own C files with the host flags (<see cref="CHostOptions.Flags"/>, default
    /// <see cref="DefaultFlags"/>: strict C99, ASan and UBSan), the folder of every given file on the include path
    /// and every <c>.c</c> file compiled; <paramref name="extraFlags"/> (e.g. <c>-lm</c>) come last.
    /// </summary>
    /// <param name="files">The <c>.c</c> and <c>.h</c> files.</param>
    /// <param name="program">The program's path.</param>
    /// <param name="extraFlags">Flags after the sources, or null.</param>
    /// <param name="options">Compiler and base flags, or null for <see cref="CHostOptions.Default"/>.</param>
    /// <exception cref="HarnessException">gcc failed or printed anything.</exception>
    public static void BuildProgram(IEnumerable<string> files, string program, IEnumerable<string>? extraFlags = null, CHostOptions? options = null)
    {
        options ??= CHostOptions.Default;
        string[] checkedFiles = CheckFiles(files);
        var arguments = new List<string>(options.Flags);
        arguments.AddRange(IncludeFlags(checkedFiles));
        arguments.AddRange(checkedFiles.Where(IsSource));
        arguments.AddRange(options.ExtraFlags);
        arguments.AddRange(extraFlags ?? []);
        arguments.AddRange(["-o", program]);
        string dir = Path.GetDirectoryName(Path.GetFullPath(program))!;
        ProcessResult build = ProcessRunner.Run(options.Compiler, arguments, dir, options.CompileTimeout);
        if (!build.Succeeded || build.StandardError.Length > 0)
        {
            throw new HarnessException($"Building {Path.GetFileName(program)} failed (files kept in {dir}).\n{build.Describe()}", dir);
        }
    }

    /// <summary>Runs a host program built by <see cref="BuildProgram"/>; its stdout, unless it fails or prints anything on stderr (a sanitizer report).</summary>
    /// <param name="program">The program.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="workingDirectory">Its working directory.</param>
    /// <param name="options">The run's time limit, or null for <see cref="CHostOptions.Default"/>.</param>
    /// <exception cref="HarnessException">A non-zero exit, anything on stderr, or a time-out.</exception>
    public static string RunProgram(string program, IReadOnlyList<string> arguments, string workingDirectory, CHostOptions? options = null)
    {
        options ??= CHostOptions.Default;
        ProcessResult run = ProcessRunner.Run(program, arguments, workingDirectory, options.RunTimeout, SanitizerEnvironment());
        if (!run.Succeeded || run.StandardError.Length > 0)
        {
            throw new HarnessException($"Running {Path.GetFileName(program)} failed (files kept in {workingDirectory}).\n{run.Describe()}", workingDirectory);
        }

        return run.StandardOutput.Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    /// <summary>
    /// Compile-checks each file on its own (<c>-c</c>, <see cref="DefaultFlags"/> then
    /// <paramref name="extraFlags"/>): every <c>.c</c> file, and every <c>.h</c> file through a
    /// translation unit that includes only that header (so headers must be self-contained).
    /// </summary>
    /// <param name="files">The <c>.c</c> and <c>.h</c> files; the folder of every file is on the include path.</param>
    /// <param name="extraFlags">Flags added after the defaults, or null.</param>
    /// <param name="options">Compiler and base flags, or null for <see cref="CHostOptions.Default"/>.</param>
    /// <returns>The compilers' diagnostics output (warnings when the flags allow them), usually empty.</returns>
    /// <exception cref="HarnessException">A file did not compile; the message holds gcc's output.</exception>
    public static string CompileOnly(
        IEnumerable<string> files,
        IEnumerable<string>? extraFlags = null,
        CHostOptions? options = null)
    {
        options ??= CHostOptions.Default;
        string[] checkedFiles = CheckFiles(files);
        string[] extra = (extraFlags ?? []).ToArray();
        string[] includes = IncludeFlags(checkedFiles).ToArray();

        using ScratchDirectory scratch = ScratchDirectory.Create("compile-only");
        var messages = new List<string>();
        int index = 0;
        foreach (string file in checkedFiles)
        {
            string unit = file;
            if (IsHeader(file))
            {
                unit = scratch.File($"header_check_{index}.c");
                File.WriteAllText(unit, $"#include \"{Path.GetFileName(file)}\"\ntypedef int tinyloc_header_check_{index};\n");
            }

            var arguments = new List<string>(options.Flags);
            arguments.AddRange(includes);
            arguments.AddRange(options.ExtraFlags);
            arguments.AddRange(extra);
            arguments.Add("-c");
            arguments.Add(unit);
            arguments.Add("-o");
            arguments.Add(scratch.File($"unit_{index}.o"));
            ProcessResult compile = ProcessRunner.Run(options.Compiler, arguments, scratch.Path, options.CompileTimeout);
            if (!compile.Succeeded)
            {
                string what = IsHeader(file) ? $"header '{file}' (included alone)" : $"'{file}'";
                throw new HarnessException($"C compile of {what} failed (files kept in {scratch.Path}).\n{compile.Describe()}", scratch.Path);
            }

            if (compile.StandardError.Length > 0)
            {
                messages.Add(compile.StandardError);
            }

            index++;
        }

        scratch.MarkSucceeded();
        return string.Concat(messages);
    }

    /// <summary>
    /// Parses the driver's output (see <see cref="CMainWriter"/>) into vectors and classes.
    /// </summary>
    /// <param name="stdout">Everything the driver printed.</param>
    /// <param name="vectorCount">How many inputs were given.</param>
    /// <param name="classify">Whether class lines are expected.</param>
    /// <exception cref="FormatException">The output does not follow the protocol.</exception>
    public static CRunResult ParseOutput(string stdout, int vectorCount, bool classify)
    {
        var outputs = new float[vectorCount][];
        int[]? classes = classify ? new int[vectorCount] : null;
        var classSeen = new bool[vectorCount];
        bool done = false;

        string[] lines = stdout.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (string line in lines)
        {
            if (done)
            {
                throw new FormatException($"Output after the '{CMainWriter.DoneTag}' line: '{line}'.");
            }

            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (parts.Length == 0 ? string.Empty : parts[0])
            {
                case CMainWriter.OutputTag when parts.Length >= 2:
                {
                    int i = ParseIndex(parts[1], vectorCount, line);
                    if (outputs[i] is not null)
                    {
                        throw new FormatException($"Vector {i} was printed twice.");
                    }

                    outputs[i] = parts.Skip(2).Select(FloatBits.FromHex).ToArray();
                    break;
                }

                case CMainWriter.ClassTag when classes is not null && parts.Length == 3:
                {
                    int i = ParseIndex(parts[1], vectorCount, line);
                    classes[i] = int.Parse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                    classSeen[i] = true;
                    break;
                }

                case CMainWriter.DoneTag when parts.Length == 2:
                    if (ParseIndex(parts[1], vectorCount + 1, line) != vectorCount)
                    {
                        throw new FormatException($"'{line}' does not report {vectorCount} vectors.");
                    }

                    done = true;
                    break;

                default:
                    throw new FormatException($"Unexpected line '{line}'.");
            }
        }

        if (!done)
        {
            throw new FormatException($"The program stopped before printing '{CMainWriter.DoneTag}'.");
        }

        for (int i = 0; i < vectorCount; i++)
        {
            if (outputs[i] is null)
            {
                throw new FormatException($"No output for vector {i}.");
            }

            if (classes is not null && !classSeen[i])
            {
                throw new FormatException($"No class for vector {i}.");
            }
        }

        return new CRunResult(outputs, classes);
    }

    private static int ParseIndex(string text, int count, string line)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int i) || i >= count)
        {
            throw new FormatException($"Bad index in '{line}'.");
        }

        return i;
    }

    private static string[] CheckFiles(IEnumerable<string> sourceFiles)
    {
        ArgumentNullException.ThrowIfNull(sourceFiles);
        string[] files = sourceFiles.Select(Path.GetFullPath).ToArray();
        foreach (string file in files)
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"Source file '{file}' does not exist.", file);
            }
        }

        if (!files.Any(f => IsSource(f) || IsHeader(f)))
        {
            throw new ArgumentException("No .c or .h files were given.", nameof(sourceFiles));
        }

        return files;
    }

    private static IEnumerable<string> IncludeFlags(IEnumerable<string> files) =>
        files.Select(f => Path.GetDirectoryName(f)!)
            .Distinct(StringComparer.Ordinal)
            .Select(d => "-I" + d);

    private static Dictionary<string, string> SanitizerEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Environment.GetEnvironmentVariable("UBSAN_OPTIONS") is null)
        {
            environment["UBSAN_OPTIONS"] = "print_stacktrace=1";
        }

        return environment;
    }

    private static bool IsSource(string file) => file.EndsWith(".c", StringComparison.Ordinal);

    private static bool IsHeader(string file) => file.EndsWith(".h", StringComparison.Ordinal);
}
