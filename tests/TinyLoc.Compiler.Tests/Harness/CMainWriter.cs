using System;
using System.Globalization;
using System.Text;

namespace TinyLoc.Compiler.Tests.Harness;

/// <summary>
/// Writes the <c>main.c</c> that drives a generated C model: inputs embedded as exact uint32 bit
/// patterns, one <c>&lt;name&gt;_predict</c> call per input, every output printed as the 8 hex
/// digits of its bits.
/// </summary>
/// <remarks>
/// Output protocol, one line each, parsed by <see cref="CHost"/>:
/// <c>tinyloc-output &lt;i&gt; &lt;hex&gt;...</c> per input, <c>tinyloc-class &lt;i&gt; &lt;n&gt;</c> when
/// classifying, and a final <c>tinyloc-done &lt;count&gt;</c> so a run cut short is detected.
/// The output buffer is filled with all-ones bits (a NaN) before every call, so an output the model
/// forgets to write shows up as <c>ffffffff</c>.
/// </remarks>
public static class CMainWriter
{
    /// <summary>Tag of an output line.</summary>
    public const string OutputTag = "tinyloc-output";

    /// <summary>Tag of a classification line.</summary>
    public const string ClassTag = "tinyloc-class";

    /// <summary>Tag of the last line.</summary>
    public const string DoneTag = "tinyloc-done";

    /// <summary>Returns the C99 source of the driver program.</summary>
    /// <param name="modelName">The model name, the prefix of every generated symbol.</param>
    /// <param name="inputs">At least one input vector, all of the same length.</param>
    /// <param name="classify">Also call and print <c>&lt;name&gt;_classify</c> for each input.</param>
    public static string Write(string modelName, float[][] inputs, bool classify)
    {
        ModelNames.ValidateCIdentifier(modelName);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length == 0)
        {
            throw new ArgumentException("At least one input vector is needed.", nameof(inputs));
        }

        int width = inputs[0]?.Length ?? throw new ArgumentException("Input vector 0 is null.", nameof(inputs));
        if (width == 0)
        {
            throw new ArgumentException("Input vectors must not be empty.", nameof(inputs));
        }

        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] is null || inputs[i].Length != width)
            {
                throw new ArgumentException(
                    $"Input vector {i} has {inputs[i]?.Length.ToString(CultureInfo.InvariantCulture) ?? "no"} values; vector 0 has {width}.",
                    nameof(inputs));
            }
        }

        string macro = ModelNames.MacroPrefix(modelName);
        var c = new StringBuilder();
        c.Append("/* Test driver written by the TinyLoc test harness (CMainWriter). */\n");
        c.Append("#include <stdint.h>\n#include <stdio.h>\n#include <string.h>\n");
        c.Append(CultureInfo.InvariantCulture, $"#include \"{modelName}.h\"\n\n");
        c.Append(CultureInfo.InvariantCulture, $"#if !defined({macro}_INPUT_COUNT) || !defined({macro}_OUTPUT_COUNT)\n");
        c.Append(CultureInfo.InvariantCulture, $"#error \"{modelName}.h must define {macro}_INPUT_COUNT and {macro}_OUTPUT_COUNT\"\n#endif\n");
        c.Append(CultureInfo.InvariantCulture, $"#if {macro}_INPUT_COUNT != {width}\n");
        c.Append(CultureInfo.InvariantCulture, $"#error \"the test gives {width} input values but {macro}_INPUT_COUNT differs\"\n#endif\n\n");
        c.Append(CultureInfo.InvariantCulture, $"#define TL_VECTOR_COUNT {inputs.Length}u\n\n");
        c.Append(CultureInfo.InvariantCulture, $"static const uint32_t tl_inputs[TL_VECTOR_COUNT][{width}] = {{\n");
        foreach (float[] vector in inputs)
        {
            c.Append("    {");
            for (int j = 0; j < vector.Length; j++)
            {
                c.Append(j == 0 ? " " : j % 8 == 0 ? ",\n      " : ", ");

                c.Append("0x").Append(FloatBits.ToHex(vector[j])).Append('u');
            }

            c.Append(" },\n");
        }

        c.Append("};\n\n");
        c.Append("int main(void)\n{\n");
        c.Append(CultureInfo.InvariantCulture, $"    float input[{macro}_INPUT_COUNT];\n");
        c.Append(CultureInfo.InvariantCulture, $"    float output[{macro}_OUTPUT_COUNT];\n");
        c.Append("    unsigned int i;\n    unsigned int j;\n");
        c.Append("    for (i = 0; i < TL_VECTOR_COUNT; i++) {\n");
        c.Append("        memcpy(input, tl_inputs[i], sizeof input);\n");
        c.Append("        memset(output, 0xff, sizeof output);\n");
        c.Append(CultureInfo.InvariantCulture, $"        {modelName}_predict(input, output);\n");
        c.Append(CultureInfo.InvariantCulture, $"        printf(\"{OutputTag} %u\", i);\n");
        c.Append(CultureInfo.InvariantCulture, $"        for (j = 0; j < {macro}_OUTPUT_COUNT; j++) {{\n");
        c.Append("            uint32_t bits;\n");
        c.Append("            memcpy(&bits, &output[j], sizeof bits);\n");
        c.Append("            printf(\" %08lx\", (unsigned long)bits);\n");
        c.Append("        }\n");
        c.Append("        printf(\"\\n\");\n");
        if (classify)
        {
            c.Append("        memcpy(input, tl_inputs[i], sizeof input);\n");
            c.Append(CultureInfo.InvariantCulture, $"        printf(\"{ClassTag} %u %d\\n\", i, {modelName}_classify(input));\n");
        }

        c.Append("    }\n");
        c.Append(CultureInfo.InvariantCulture, $"    printf(\"{DoneTag} %u\\n\", TL_VECTOR_COUNT);\n");
        c.Append("    return 0;\n}\n");
        return c.ToString();
    }
}
