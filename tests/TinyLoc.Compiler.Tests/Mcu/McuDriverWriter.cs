using System;
using System.Globalization;
using System.Text;
using TinyLoc.Compiler.Tests.Harness;

namespace TinyLoc.Compiler.Tests.Mcu;

/// <summary>
/// Writes the <c>main.c</c> that runs a generated model on the microcontroller: the inputs embedded as
/// exact uint32 bit patterns (in flash), one <c>&lt;name&gt;_predict</c> call per input between two
/// marker functions, and every output printed as the 8 hex digits of its bits through semihosting.
/// </summary>
/// <remarks>
/// The output lines are those of <see cref="CMainWriter"/> (<c>tinyloc-output &lt;i&gt; &lt;hex&gt;...</c>,
/// then <c>tinyloc-done &lt;count&gt;</c>), so <see cref="CHost.ParseOutput"/> reads them. The
/// instruction-counting plugin (<c>tests/mcu/plugin</c>) opens a window when <c>tl_mark_begin</c> runs
/// and closes it when <c>tl_mark_end</c> runs: window 0 holds nothing but the two marker calls (its
/// count is the markers' own cost), and window <c>i + 1</c> holds the predict call on input <c>i</c>.
/// Input and output buffers are static, so the driver's stack is small and its RAM shows in the map.
/// </remarks>
public static class McuDriverWriter
{
    /// <summary>The marker function that opens a counting window.</summary>
    public const string BeginMarker = "tl_mark_begin";

    /// <summary>The marker function that closes a counting window.</summary>
    public const string EndMarker = "tl_mark_end";

    /// <summary>Returns the C99 source of the driver.</summary>
    /// <param name="modelName">The model name, the prefix of every generated symbol.</param>
    /// <param name="inputs">At least one input vector, all of the model's input width.</param>
    /// <param name="classify">Also call <c>&lt;name&gt;_classify</c> on each input (outside the counting
    /// window) and keep <c>&lt;name&gt;_labels</c> in the image, as an application would.</param>
    public static string Write(string modelName, float[][] inputs, bool classify)
    {
        ModelNames.ValidateCIdentifier(modelName);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length == 0 || inputs[0] is null || inputs[0].Length == 0)
        {
            throw new ArgumentException("At least one non-empty input vector is needed.", nameof(inputs));
        }

        int width = inputs[0].Length;
        if (Array.Exists(inputs, v => v is null || v.Length != width))
        {
            throw new ArgumentException($"Every input vector must have {width} values.", nameof(inputs));
        }

        string macro = ModelNames.MacroPrefix(modelName);
        var c = new StringBuilder();
        void L(string line) => c.Append(line).Append('\n');

        L("/* MCU test driver written by the TinyLoc test harness (McuDriverWriter). */");
        L("#include <stdint.h>");
        L("#include <stdio.h>");
        L("#include <string.h>");
        L($"#include \"{modelName}.h\"");
        L(string.Empty);
        L($"#if {macro}_INPUT_COUNT != {width}");
        L($"#error \"the test gives {width} input values but {macro}_INPUT_COUNT differs\"");
        L("#endif");
        L(string.Empty);
        L(string.Create(CultureInfo.InvariantCulture, $"#define TL_VECTOR_COUNT {inputs.Length}u"));
        L(string.Empty);
        L($"static const uint32_t tl_inputs[TL_VECTOR_COUNT][{width}] = {{");
        foreach (float[] vector in inputs)
        {
            c.Append("    {");
            for (int j = 0; j < vector.Length; j++)
            {
                c.Append(j == 0 ? " " : j % 8 == 0 ? ",\n      " : ", ");
                c.Append("0x").Append(FloatBits.ToHex(vector[j])).Append('u');
            }

            L(" },");
        }

        L("};");
        L(string.Empty);
        L($"static float tl_input[{macro}_INPUT_COUNT];");
        L($"static float tl_output[{macro}_OUTPUT_COUNT];");
        if (classify)
        {
            L("static const char *const *volatile tl_labels;");
        }
        L(string.Empty);
        L("/* Counting-window markers: real calls (noinline), each one instruction long plus its return. */");
        L($"void {BeginMarker}(void) __attribute__((noinline));");
        L($"void {EndMarker}(void) __attribute__((noinline));");
        L($"void {BeginMarker}(void) {{ __asm__ volatile(\"\"); }}");
        L($"void {EndMarker}(void) {{ __asm__ volatile(\"\"); }}");
        L(string.Empty);
        L("int main(void)");
        L("{");
        L("    unsigned int i;");
        L("    unsigned int j;");
        if (classify)
        {
            L($"    tl_labels = {modelName}_labels;");
        }

        L($"    {BeginMarker}();");
        L($"    {EndMarker}();");
        L("    for (i = 0; i < TL_VECTOR_COUNT; i++)");
        L("    {");
        L("        memcpy(tl_input, tl_inputs[i], sizeof tl_input);");
        L("        memset(tl_output, 0xff, sizeof tl_output);");
        L($"        {BeginMarker}();");
        L($"        {modelName}_predict(tl_input, tl_output);");
        L($"        {EndMarker}();");
        L($"        printf(\"{CMainWriter.OutputTag} %u\", i);");
        L($"        for (j = 0; j < {macro}_OUTPUT_COUNT; j++)");
        L("        {");
        L("            uint32_t bits;");
        L("            memcpy(&bits, &tl_output[j], sizeof bits);");
        L("            printf(\" %08lx\", (unsigned long)bits);");
        L("        }");
        L("        printf(\"\\n\");");
        if (classify)
        {
            L("        memcpy(tl_input, tl_inputs[i], sizeof tl_input);");
            L($"        printf(\"{CMainWriter.ClassTag} %u %d\\n\", i, {modelName}_classify(tl_input));");
        }

        L("    }");
        L($"    printf(\"{CMainWriter.DoneTag} %u\\n\", TL_VECTOR_COUNT);");
        L("    return 0;");
        L("}");
        return c.ToString();
    }
}
