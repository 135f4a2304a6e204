using System;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>
/// The harness's view of how a model name (<c>kolakowski_mlp</c>) becomes symbols in generated
/// code: C functions <c>kolakowski_mlp_predict</c>, C macros <c>KOLAKOWSKI_MLP_INPUT_COUNT</c>, and
/// the C# class <c>TinyLoc.Models.KolakowskiMlp</c>.
/// </summary>
public static partial class ModelNames
{
    /// <summary>The namespace of generated C# model classes.</summary>
    public const string CSharpNamespace = "TinyLoc.Models";

    /// <summary>Throws unless <paramref name="name"/> is a C identifier usable as a symbol prefix.</summary>
    /// <param name="name">A model name such as <c>kolakowski_mlp</c>.</param>
    public static void ValidateCIdentifier(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!CIdentifier().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a C identifier.", nameof(name));
        }
    }

    /// <summary>The upper-case macro prefix: <c>kolakowski_mlp</c> → <c>KOLAKOWSKI_MLP</c>.</summary>
    /// <param name="name">A model name.</param>
    public static string MacroPrefix(string name) => name.ToUpperInvariant();

    /// <summary>
    /// The PascalCase class name: words split at <c>_</c>, <c>-</c> and other non-alphanumerics, each
    /// word's first letter upper-cased, the rest kept (<c>kolakowski_mlp</c> → <c>KolakowskiMlp</c>,
    /// <c>mdcsa_crf_int8</c> → <c>MdcsaCrfInt8</c>).
    /// </summary>
    /// <param name="name">A model name.</param>
    public static string PascalCase(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (string word in NonAlphanumeric().Split(name).Where(w => w.Length > 0))
        {
            builder.Append(char.ToUpperInvariant(word[0])).Append(word, 1, word.Length - 1);
        }

        return builder.ToString();
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex CIdentifier();

    [GeneratedRegex("[^A-Za-z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex NonAlphanumeric();
}
