using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace TinyLoc.Compiler.Emit;

/// <summary>
/// The one place text from a model file or an option becomes part of generated code. Model files are
/// untrusted: every string that reaches C or C# goes through here, as comment text
/// (<see cref="CommentText"/>, <see cref="DocText"/>), as a string literal's body (<see cref="CString"/>,
/// <see cref="CSharpString"/>) or as an identifier, which is checked (<see cref="ModelNameProblem"/>,
/// <see cref="NamespaceProblem"/>) rather than escaped: a name that cannot be used is an error diagnostic.
/// </summary>
public static class Naming
{
    private static readonly Regex IdentifierPattern = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    /// <summary>The longest label, in UTF-8 bytes (C99 only promises string literals of 4095 bytes).</summary>
    public const int MaxLabelBytes = 1024;

    /// <summary>C99 keywords (and the C11 ones a C compiler may also reserve).</summary>
    public static readonly IReadOnlyCollection<string> CKeywords = new HashSet<string>(StringComparer.Ordinal)
    {
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
        "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed",
        "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while",
        "_Bool", "_Complex", "_Imaginary", "_Alignas", "_Alignof", "_Atomic", "_Generic", "_Noreturn", "_Static_assert", "_Thread_local",
    };

    /// <summary>C# keywords (reserved; contextual keywords are valid identifiers).</summary>
    public static readonly IReadOnlyCollection<string> CSharpKeywords = new HashSet<string>(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>
    /// Members of the generated C# class (mcu-templates/partials/cs_class.hbs, <see cref="CodeEmitter"/>,
    /// <see cref="EmitContext"/>, <see cref="Helpers"/>): the class may not share a name with any of them.
    /// Table and split-function names are <c>n&lt;digits&gt;_…</c> and cannot collide with a PascalCase class name.
    /// </summary>
    public static readonly IReadOnlyCollection<string> CSharpMembers = new HashSet<string>(
        new[]
        {
            "InputCount", "OutputCount", "ArenaBytes", "ArenaLowerBoundBytes", "StateBytes", "ScratchBytes", "StackBytesEstimate",
            "RamBytes", "WeightBytes", "FlashBytesEstimate", "Macs", "Hash", "Labels", "Scores", "Predict", "Classify",
            "ArenaI8", "ArenaF32", "View", "Scratch", "ScratchZp", "ScratchScale", "ScratchF32",
            "RuntimeStateBytes", "BeaconIds", "BeaconFeatures", "CreateLocalizer",
        }.Concat(Enum.GetNames(typeof(Helper))),
        StringComparer.Ordinal);

    /// <summary>Names the generated C# refers to by simple name, which a class of that name would hide.</summary>
    private static readonly string[] CSharpHidden = { "System", "TinyLoc" };

    /// <summary>
    /// Any text from a model file (a value name, a state-dict prefix) as an identifier fragment: every character but
    /// ASCII letters and digits becomes <c>_</c>, and a leading digit (or nothing) gets an <c>l</c> before it, also
    /// behind leading underscores (<c>/1/Relu</c> is <c>l_1_Relu</c>): C# names drop the underscores
    /// (<see cref="CodeEmitter.PascalCase"/>), and <c>1Relu</c> is no C# name.
    /// </summary>
    public static string Identifier(string text)
    {
        var s = new string(text.Select(c => char.IsLetterOrDigit(c) && c < 128 ? c : '_').ToArray());
        string letters = s.TrimStart('_');
        return letters.Length == 0 || char.IsDigit(letters[0]) ? "l" + s : s;
    }

    /// <summary>
    /// <paramref name="stem"/>, or the first of <c>stem_2</c>, <c>stem_3</c>, … (C#: <c>Stem2</c>, …) not yet in
    /// <paramref name="taken"/>; the name returned is added to it. How generated symbols from model text stay distinct.
    /// </summary>
    public static string FirstFree(ISet<string> taken, string stem, Dialect d)
    {
        string name = stem;
        for (int n = 2; !taken.Add(name); n++)
        {
            name = stem + (d.IsC ? "_" : string.Empty) + n.ToString(CultureInfo.InvariantCulture);
        }

        return name;
    }

    /// <summary>True for <c>[A-Za-z_][A-Za-z0-9_]*</c>.</summary>
    public static bool IsIdentifier(string s) => s is not null && IdentifierPattern.IsMatch(s);

    /// <summary>
    /// Why a model name (already lower snake case) cannot be the C prefix <c>NAME_</c> and the C# class
    /// <c>PascalCase(NAME)</c>, or null if it can.
    /// </summary>
    public static string? ModelNameProblem(string name)
    {
        if (!IsIdentifier(name))
        {
            return "it is not an identifier [A-Za-z_][A-Za-z0-9_]*";
        }

        if (name.Contains("__") || name.EndsWith("_", StringComparison.Ordinal))
        {
            return "a double or trailing underscore makes reserved or colliding C/C++ names (NAME__x, NAME_x)";
        }

        if (CKeywords.Contains(name) || CSharpKeywords.Contains(name))
        {
            return "it is a C or C# keyword";
        }

        string cls = CodeEmitter.PascalCase(name);
        if (!IsIdentifier(cls))
        {
            return $"its C# class name '{cls}' is not an identifier";
        }

        if (CSharpMembers.Contains(cls))
        {
            return $"its C# class name '{cls}' is also a member of the generated class";
        }

        if (Array.IndexOf(CSharpHidden, cls) >= 0)
        {
            return $"its C# class name '{cls}' would hide a namespace the generated code uses";
        }

        return null;
    }

    /// <summary>Why <paramref name="ns"/> cannot be the generated class's namespace (dotted identifiers, no keywords), or null.</summary>
    public static string? NamespaceProblem(string ns)
    {
        if (string.IsNullOrEmpty(ns))
        {
            return "it is empty";
        }

        foreach (string part in ns.Split('.'))
        {
            if (!IsIdentifier(part))
            {
                return $"'{CommentText(part)}' is not an identifier [A-Za-z_][A-Za-z0-9_]*";
            }

            if (CSharpKeywords.Contains(part) || part == "global")
            {
                return $"'{part}' is a C# keyword";
            }
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="label"/> cannot be a string literal in both C and C# with the same meaning, or null:
    /// NUL (ends a C string), an unpaired surrogate (not text: no UTF-8 form), or more than <see cref="MaxLabelBytes"/>.
    /// </summary>
    public static string? LabelProblem(string label)
    {
        if (label.IndexOf('\0') >= 0)
        {
            return "it contains NUL, which would end the C string";
        }

        if (UnpairedSurrogateAt(label) is int at)
        {
            return $"it contains an unpaired UTF-16 surrogate at position {at}";
        }

        int bytes = Encoding.UTF8.GetByteCount(label);
        if (bytes > MaxLabelBytes)
        {
            return $"it is {bytes} bytes of UTF-8, more than {MaxLabelBytes}";
        }

        return null;
    }

    /// <summary>The index of the first unpaired surrogate in <paramref name="s"/>, or null.</summary>
    public static int? UnpairedSurrogateAt(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>
    /// Text for inside a comment, in C (<c>/* */</c> and <c>//</c>) and C# (<c>/* */</c>, <c>//</c>, <c>///</c>):
    /// one line (every newline — \n, \r, U+0085, U+2028, U+2029 — becomes a space); no <c>*/</c> or <c>/*</c>
    /// (a space goes between, also at either end, so nothing forms one with the template's text); no C trigraph
    /// (<c>??/</c> becomes <c>?? /</c>); control, format (BiDi, zero-width) and unpaired surrogate characters
    /// written as <c>[U+XXXX]</c>; no backslash at the end (it would splice the next line into a C <c>//</c> comment).
    /// Ordinary text is unchanged.
    /// </summary>
    public static string CommentText(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(text!.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                int cp = char.ConvertToUtf32(c, text[i + 1]);
                if (CharUnicodeInfo.GetUnicodeCategory(text, i) == UnicodeCategory.Format || cp >= 0xE0000)
                {
                    sb.Append("[U+").Append(cp.ToString("X", CultureInfo.InvariantCulture)).Append(']');
                }
                else
                {
                    sb.Append(c).Append(text[i + 1]);
                }

                i++;
                continue;
            }

            if (c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029')
            {
                sb.Append(' ');
                continue;
            }

            if (char.IsSurrogate(c) || char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                sb.Append("[U+").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)).Append(']');
                continue;
            }

            int n = sb.Length;
            if ((c == '/' && n > 0 && sb[n - 1] == '*') || (c == '*' && n > 0 && sb[n - 1] == '/'))
            {
                sb.Append(' ');
            }
            else if ("=/'()!<>-".IndexOf(c) >= 0 && n > 1 && sb[n - 1] == '?' && sb[n - 2] == '?')
            {
                sb.Append(' ');
            }

            sb.Append(c);
        }

        if (sb.Length > 0 && sb[sb.Length - 1] == '\\')
        {
            sb.Length--;
            sb.Append("[U+005C]");
        }

        if (sb.Length > 0 && (sb[0] == '/' || sb[0] == '*'))
        {
            sb.Insert(0, ' ');
        }

        if (sb.Length > 0 && (sb[sb.Length - 1] == '/' || sb[sb.Length - 1] == '*'))
        {
            sb.Append(' ');
        }

        return sb.ToString();
    }

    /// <summary><see cref="CommentText"/> that is also XML text (&amp; and &lt; escaped), for C# documentation comments (<c>&lt;summary&gt;</c>).</summary>
    public static string DocText(string? text) =>
        CommentText(text).Replace("&", "&amp;").Replace("<", "&lt;");

    /// <summary>
    /// Text from a model file inside a YAML double-quoted string (idf_component.yml): backslash, quote and every
    /// control character escaped, so the text cannot end the string or start a new key.
    /// </summary>
    public static string YamlString(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (char ch in text)
        {
            if (ch == '\\' || ch == '"')
            {
                sb.Append('\\').Append(ch);
            }
            else if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0) || ch == 0x2028 || ch == 0x2029 || ch == 0xfeff)
            {
                sb.Append("\\u").Append(((int)ch).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(ch);
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// The body of a C99 string literal (without the quotes) holding <paramref name="text"/>'s UTF-8 bytes:
    /// <c>\\</c>, <c>\"</c>, <c>\?</c> (no trigraph can form), printable ASCII as is, every other byte as a
    /// three-digit octal escape (which cannot run into the next character). Throws on an unpaired surrogate
    /// (<see cref="LabelProblem"/> rejects those first).
    /// </summary>
    public static string CString(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (byte b in new UTF8Encoding(false, true).GetBytes(text))
        {
            switch (b)
            {
                case (byte)'\\': sb.Append("\\\\"); break;
                case (byte)'"': sb.Append("\\\""); break;
                case (byte)'?': sb.Append("\\?"); break;
                default:
                    if (b >= 0x20 && b < 0x7F)
                    {
                        sb.Append((char)b);
                    }
                    else
                    {
                        sb.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0'));
                    }

                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// The body of a C# regular string literal (without the quotes): <c>\\</c>, <c>\"</c>, printable ASCII as is,
    /// every other UTF-16 unit as <c>\uXXXX</c>.
    /// </summary>
    public static string CSharpString(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            if (c == '\\')
            {
                sb.Append("\\\\");
            }
            else if (c == '"')
            {
                sb.Append("\\\"");
            }
            else if (c >= 0x20 && c < 0x7F)
            {
                sb.Append(c);
            }
            else
            {
                sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
