namespace TinyLoc.Compiler.Emit;

/// <summary>
/// <c>NAME_FENCE(p)</c>: a compiler barrier (under GNU C an empty volatile asm that is given the buffer
/// <c>p</c> the code reads and clobbers memory; nothing elsewhere) that unrolled code puts between its
/// steps: every eight terms and after each row of a float layer, between the input groups of the int8
/// DSP kernels. Without it gcc keeps every input it has loaded alive across rows (the arena is a static
/// whose address never escapes, so a plain memory clobber would not stop it; handing the asm the whole
/// arena's address does) and hoists later constants
/// over earlier work, and straight-line code runs out of registers and spills: measured 1,960 bytes of
/// stack for kolakowski_mlp's unrolled float predict, 8 with the fence, and 432 → 36 bytes for uji_mlp's
/// layer functions, with less code and fewer instructions. It changes no value: it only orders the
/// compiler's work. C only; C# has no such statement.
/// </summary>
public static class Fence
{
    /// <summary>The macro's name: <c>UJI_MLP_FENCE</c>; a statement is <c>UJI_MLP_FENCE(&amp;uji_mlp_arena);</c> (<see cref="EmitContext.ObjectOf"/>).</summary>
    public static string Name(Dialect d) => d.Sym("fence").ToUpperInvariant();

    /// <summary>Writes the macro's definition (C only).</summary>
    public static void Emit(CodeWriter w, Dialect d)
    {
        string name = Name(d);
        w.Line("/* A compiler barrier between the steps of unrolled code (p: the buffer it reads): without it gcc");
        w.Line(" * keeps loaded inputs alive across rows and spills them to the stack. It changes no value. */");
        w.Line("#if defined(__GNUC__)");
        w.Line($"#define {name}(p) __asm__ volatile(\"\" : : \"r\"(p) : \"memory\")");
        w.Line("#else");
        w.Line($"#define {name}(p) ((void)(p))");
        w.Line("#endif");
    }
}
