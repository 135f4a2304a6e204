using System.Globalization;
using System.Text;

namespace TinyLoc.Compiler.Diagnostics;

/// <summary>
/// Text from a model file as a diagnostic shows it: control characters (C0, DEL, C1), line and paragraph
/// separators, BiDi and other invisible format characters and unpaired surrogates escaped as <c>\xNN</c> or
/// <c>\uXXXX</c>, so that a tensor name cannot clear a terminal or forge a line of its own; and a value
/// cut to <see cref="MaxValueChars"/> characters, so that a 10 MB field name is not printed whole.
/// </summary>
public static class DisplayText
{
    /// <summary>The longest value shown in a message; longer ones are cut and say how long they were.</summary>
    public const int MaxValueChars = 200;

    /// <summary>A value inserted into a message: escaped, and cut when longer than <see cref="MaxValueChars"/>.</summary>
    public static object Value(object? value) => value switch
    {
        null => string.Empty,
        string s when s.Length > MaxValueChars => Escape(s.Substring(0, MaxValueChars)) + string.Format(CultureInfo.InvariantCulture, "… ({0:N0} characters)", s.Length),
        string s => Escape(s),
        _ => value,
    };

    /// <summary><paramref name="text"/> with every character a terminal would act on, or hide, escaped.</summary>
    public static string Escape(string text)
    {
        StringBuilder? sb = null;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            string? escaped = pair ? null : EscapeOf(c);
            if (escaped is null && sb is null)
            {
                i += pair ? 1 : 0;
                continue;
            }

            sb ??= new StringBuilder(text, 0, i, text.Length + 16);
            if (escaped is not null)
            {
                sb.Append(escaped);
            }
            else
            {
                sb.Append(c);
                if (pair)
                {
                    sb.Append(text[++i]);
                }
            }
        }

        return sb?.ToString() ?? text;
    }

    private static string? EscapeOf(char c)
    {
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
        {
            return string.Format(CultureInfo.InvariantCulture, "\\x{0:X2}", (int)c);
        }

        bool hidden = char.IsSurrogate(c)
            || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
        return hidden ? string.Format(CultureInfo.InvariantCulture, "\\u{0:X4}", (int)c) : null;
    }
}
