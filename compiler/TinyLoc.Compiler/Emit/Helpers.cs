using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Numerics;

namespace TinyLoc.Compiler.Emit;

/// <summary>
/// The helper functions of the generated code, written once for both languages. Each mirrors, statement
/// for statement, its reference in <see cref="TlMath"/> or <see cref="Numerics.QuantMath"/>.
/// </summary>
public static class Helpers
{
    public static string Emit(Helper h, Dialect d) => Emit(h, d, dsp: false);

    /// <summary>One helper; <paramref name="dsp"/> says the C file also has the DSP prelude (<see cref="ArmDsp"/>).</summary>
    public static string Emit(Helper h, Dialect d, bool dsp)
    {
        var w = new CodeWriter();
        string head = d.IsC ? "static " : "private static ";
        string f = d.F32;
        switch (h)
        {
            case Helper.Requantize:
                // QuantMath.RequantizeHighWord: for rs > 32 only the high word of the 64-bit product is
                // needed (one SMULL on Cortex-M, no 64-bit shift); inlined where rs is a constant.
                w.Open($"{(d.IsC ? "static inline " : head)}{d.I8} {d.Sym(Name(h, d))}({d.I32} acc, {d.I32} m, {d.I32} rs, {d.I32} zp, {d.I32} lo, {d.I32} hi)");
                w.Line($"{d.I32} r;");
                w.Open("if (rs > 32)");
                w.Line($"{d.I32} h = ({d.I32})((({d.I64})acc * m) >> 32);");
                w.Line("r = ((h + (1 << (rs - 33))) >> (rs - 32)) + zp;");
                w.Close();
                w.Open("else");
                w.Line($"{d.I64} p = (((({d.I64})acc * m) + (({d.I64})1 << (rs - 1))) >> rs) + zp;");
                w.Line($"r = p < lo ? lo : p > hi ? hi : ({d.I32})p;");
                w.Close();
                RequantizeClamp(w, d, dsp);
                break;
            case Helper.RequantizeHigh:
                // Requantize for rs > 32 only (QuantMath.RequantizeHighWord's first branch): no test of rs per output.
                w.Open($"{(d.IsC ? "static inline " : head)}{d.I8} {d.Sym(Name(h, d))}({d.I32} acc, {d.I32} m, {d.I32} rs, {d.I32} zp, {d.I32} lo, {d.I32} hi)");
                w.Line($"{d.I32} h = ({d.I32})((({d.I64})acc * m) >> 32);");
                w.Line($"{d.I32} r = ((h + (1 << (rs - 33))) >> (rs - 32)) + zp;");
                RequantizeClamp(w, d, dsp);
                break;
            case Helper.ArmDsp:
                if (d.IsC)
                {
                    ArmDsp.Emit(w, d);
                }

                break;
            case Helper.Fence:
                if (d.IsC)
                {
                    Fence.Emit(w, d);
                }

                break;
            case Helper.QuantizeInput:
                w.Open($"{head}{d.I8} {d.Sym(Name(h, d))}({f} v, {f} inv, {d.I32} zp)");
                w.Line($"{f} t = v * inv;");
                w.Line($"{d.I32} r;");
                w.Line("if (!(t > -1000.0f)) { t = -1000.0f; }");
                w.Line("if (t > 1000.0f) { t = 1000.0f; }");
                w.Line($"r = t >= 0.0f ? ({d.I32})(t + 0.5f) : -({d.I32})(0.5f - t);");
                w.Line("r = r + zp;");
                w.Line("if (r < -128) { r = -128; }");
                w.Line("if (r > 127) { r = 127; }");
                w.Line($"return ({d.I8})r;");
                w.Close();
                break;
            case Helper.QuantizeUnit:
                // QuantizeInput for a normalised input, whose product with inv the compiler has proved to lie
                // in [0, 1000] (Quantize.IsBounded): there the clamps and the negative branch never act.
                w.Open($"{(d.IsC ? "static inline " : head)}{d.I8} {d.Sym(Name(h, d))}({f} v, {f} inv, {d.I32} zp)");
                w.Line($"{f} t = v * inv;");
                w.Line($"{d.I32} r = ({d.I32})(t + 0.5f) + zp;");
                w.Line("if (r < -128) { r = -128; }");
                w.Line("if (r > 127) { r = 127; }");
                w.Line($"return ({d.I8})r;");
                w.Close();
                break;
            case Helper.Exp:
                w.Line($"{(d.IsC ? $"static const {f} {ExpScaleSymbol(d)}[32] =" : $"private static readonly {f}[] {ExpScaleSymbol(d)} = new {f}[]")} {{ /* 2^j, j = 0..15; 2^(16m - 126), m = 0..15 */");
                for (int i = 0; i < 32; i += 8)
                {
                    w.Line("    " + string.Join(", ", TlMath.ExpScale.Skip(i).Take(8).Select(d.Lit)) + (i < 24 ? "," : string.Empty));
                }

                w.Line("};");
                w.Open($"{head}{f} {d.Sym(Name(h, d))}({f} x)");
                w.Line($"{f} kf, fk, r, p;");
                w.Line($"{d.I32} k;");
                w.Line($"if (x > {d.Lit(TlMath.ExpHi)}) {{ x = {d.Lit(TlMath.ExpHi)}; }}");
                w.Line($"if (!(x >= {d.Lit(TlMath.ExpLo)})) {{ return 0.0f; }}");
                w.Line($"kf = x * {d.Lit(TlMath.Log2E)};");
                w.Line($"k = kf >= 0.0f ? ({d.I32})(kf + 0.5f) : -({d.I32})(0.5f - kf);");
                EmitExpTail(w, d, "x", "return ");
                w.Close();
                break;
            case Helper.Tanh:
                w.Open($"{head}{f} {d.Sym(Name(h, d))}({f} x)");
                w.Line($"{f} ax = x < 0.0f ? -x : x;");
                w.Line($"{f} t = 1.0f;");
                w.Open($"if (ax < {d.Lit(TlMath.TanhSmall)})");
                w.Line($"{f} x2 = x * x;");
                w.Line($"{f} q = {d.Lit(TlMath.T9)};");
                foreach (float c in new[] { TlMath.T7, TlMath.T5, TlMath.T3 })
                {
                    w.Line($"q = {d.Lit(c)} + x2 * q;");
                }

                w.Line("return x + x * (x2 * q);");
                w.Close();
                w.Open($"if (ax < {d.Lit(TlMath.TanhBig)})");
                w.Line($"{f} e = {d.Sym(Name(Helper.Exp, d))}(-2.0f * ax);");
                w.Line("t = (1.0f - e) / (1.0f + e);");
                w.Close();
                w.Line("return x < 0.0f ? -t : t;");
                w.Close();
                break;
            case Helper.Sigmoid:
                w.Open($"{head}{f} {d.Sym(Name(h, d))}({f} x)");
                w.Line($"return 1.0f / (1.0f + {d.Sym(Name(Helper.Exp, d))}(-x));");
                w.Close();
                break;
            case Helper.Silu:
                w.Open($"{head}{f} {d.Sym(Name(h, d))}({f} x)");
                w.Line($"return x * {d.Sym(Name(Helper.Sigmoid, d))}(x);");
                w.Close();
                break;
            case Helper.Log1p:
                EmitLog1p(w, d, head);
                break;
            case Helper.Softplus:
                w.Open($"{head}{f} {d.Sym(Name(h, d))}({f} x)");
                w.Line($"return x > {d.Lit(TlMath.SoftplusThreshold)} ? x : {d.Sym(Name(Helper.Log1p, d))}({d.Sym(Name(Helper.Exp, d))}(x));");
                w.Close();
                break;
            case Helper.Elu:
                w.Open($"{head}{f} {d.Sym(Name(h, d))}({f} x)");
                w.Line($"{f} p;");
                w.Line("if (x > 0.0f) { return x; }");
                w.Open("if (x > -1.0f)");
                w.Line($"p = {d.Lit(TlMath.Expm1Coeffs[TlMath.Expm1Coeffs.Length - 1])};");
                for (int i = TlMath.Expm1Coeffs.Length - 2; i >= 0; i--)
                {
                    w.Line($"p = {d.Lit(TlMath.Expm1Coeffs[i])} + x * p;");
                }

                w.Line("p = 1.0f + x * p;");
                w.Line("return x * p;");
                w.Close();
                w.Line($"return {d.Sym(Name(Helper.Exp, d))}(x) - 1.0f;");
                w.Close();
                break;
            case Helper.Rsqrt:
                EmitRsqrt(w, d, head);
                break;
            case Helper.FloatParts:
                EmitFloatParts(w, d, head);
                break;
            case Helper.ChooseParams:
                EmitChooseParams(w, d, head);
                break;
            case Helper.QuantizeDynamic:
                EmitQuantizeDynamic(w, d, head);
                break;
        }

        return w.ToString();
    }

    /// <summary>The requantisation helpers' end: clamp r to [lo, hi] (SSAT for the int8 range on DSP cores), return it, close.</summary>
    private static void RequantizeClamp(CodeWriter w, Dialect d, bool dsp)
    {
        if (d.IsC && dsp)
        {
            // gcc does not see the clamp below as a saturation once zp is added; SSAT is one instruction.
            w.Directive($"#if {ArmDsp.Macro(d)}");
            w.Line("if (lo == -128 && hi == 127) { return (int8_t)__ssat(r, 8); }");
            w.Directive("#endif");
        }

        w.Line("if (r < lo) { r = lo; }");
        w.Line("if (r > hi) { r = hi; }");
        w.Line($"return ({d.I8})r;");
        w.Close();
    }

    /// <summary>
    /// All used helpers, dependencies first (exp before tanh, sigmoid before silu), and the C preludes
    /// (fence, then DSP) before them all (the requantisation helper uses the DSP saturation when it is there).
    /// </summary>
    public static string EmitAll(System.Collections.Generic.IEnumerable<Helper> used, Dialect d)
    {
        var set = used.ToList();
        bool dsp = set.Contains(Helper.ArmDsp);
        return string.Join("\n", set.OrderBy(h => h == Helper.Fence ? -2 : h == Helper.ArmDsp ? -1 : (int)h).Where(h => d.IsC || h is not (Helper.Fence or Helper.ArmDsp)).Select(h => Emit(h, d, dsp)));
    }

    /// <summary>
    /// The per-call input quantisation of every dynamic layer: the range of <c>x[0..n)</c> with 0 in it, the scale and
    /// zero point from it (<see cref="DynamicMath.ChooseParams(float[], int, int, int, out float, out int)"/>), and each
    /// <c>q[k] = clamp(round(x[k] / scale) + zp, 0, qmax) − 128</c> (<see cref="DynamicMath.QuantizeShifted"/>).
    /// Returns the scale; the zero point through a pointer in C, an out parameter in C#.
    /// </summary>
    private static void EmitQuantizeDynamic(CodeWriter w, Dialect d, string head)
    {
        string f = d.F32, i32 = d.I32;
        string x = d.IsC ? "x[k]" : "x[xo + k]";
        string zeroPoint = d.IsC ? "zero_point" : "zeroPoint";
        string args = d.IsC ? $"const {f} *x, {i32} n, {i32} qmax, {d.I8} *q, {i32} *{zeroPoint}" : $"{f}[] x, int xo, int n, int qmax, {d.I8}[] q, out int {zeroPoint}";
        w.Open($"{head}{f} {d.Sym(Name(Helper.QuantizeDynamic, d))}({args})");
        w.Line($"{f} mn = 0.0f, mx = 0.0f, scale, inv;");
        w.Line($"{i32} zp;");
        w.Open("for (int k = 0; k < n; k++)");
        w.Line($"{f} e = {x};");
        w.Line("if (e < mn) { mn = e; }");
        w.Line("if (e > mx) { mx = e; }");
        w.Close();
        w.Line($"zp = {d.Sym(Name(Helper.ChooseParams, d))}(mn, mx, qmax, {(d.IsC ? "&scale" : "out scale")});");
        w.Line("inv = 1.0f / scale;");
        w.Open("for (int k = 0; k < n; k++)");
        w.Line($"{f} t = {x} * inv;");
        w.Line($"{i32} qv;");
        w.Line($"if (!(t > -1000000.0f)) {{ t = -1000000.0f; }} {DynamicMath.ClampComment}");
        w.Line("if (t > 1000000.0f) { t = 1000000.0f; }");
        w.Line($"t = (t + {d.Lit(DynamicMath.RoundFloat)}) - {d.Lit(DynamicMath.RoundFloat)}; {DynamicMath.RoundFloatComment}");
        w.Line($"qv = ({i32})t + zp;");
        w.Line("if (qv < 0) { qv = 0; }");
        w.Line("if (qv > qmax) { qv = qmax; }");
        w.Line($"q[k] = ({d.I8})(qv - 128);");
        w.Close();
        w.Line($"{(d.IsC ? "*" : string.Empty)}{zeroPoint} = zp;");
        w.Line("return scale;");
        w.Close();
    }

    /// <summary>The exp helper's table of scale factors (<see cref="TlMath.ExpScale"/>), which it writes before itself.</summary>
    public static string ExpScaleSymbol(Dialect d) => d.Sym(d.IsC ? "exp_scale" : "ExpScale");

    /// <summary>
    /// <see cref="TlMath.ExpNonPositive"/> written in place, statement for statement: <paramref name="result"/> =
    /// exp(min(<paramref name="x"/>, 0)), where <paramref name="x"/> is a float variable the code may overwrite. The
    /// selective scan's decay uses it inside its innermost loop (no call, constants kept in registers); it reads
    /// the exp helper's table, so the caller uses <see cref="Helper.Exp"/>.
    /// </summary>
    public static void EmitExpNonPositive(CodeWriter w, Dialect d, string x, string result)
    {
        w.Line($"if ({x} > 0.0f) {{ {x} = 0.0f; }}");
        w.Line($"if (!({x} >= {d.Lit(TlMath.ExpLo)})) {{ {result} = 0.0f; }}");
        w.Open("else");
        w.Line($"{d.F32} kf = {x} * {d.Lit(TlMath.Log2E)}, fk, r, p;");
        w.Line($"{d.I32} k = -({d.I32})(0.5f - kf);");
        EmitExpTail(w, d, x, result + " = ");
        w.Close();
    }

    /// <summary>exp after k = round(x·log2 e): the reduction, the polynomial (Horner) and the scaling by 2^k (<see cref="TlMath.Exp"/>).</summary>
    private static void EmitExpTail(CodeWriter w, Dialect d, string x, string assign)
    {
        string scale = ExpScaleSymbol(d);
        w.Line($"fk = ({d.F32})k;");
        w.Line($"r = ({x} - fk * {d.Lit(TlMath.Ln2Hi)}) - fk * {d.Lit(TlMath.Ln2Lo)};");
        string poly = d.Lit(TlMath.P6);
        foreach (float c in new[] { TlMath.P5, TlMath.P4, TlMath.P3, TlMath.P2, 1.0f, 1.0f })
        {
            poly = $"{d.Lit(c)} + r * {(poly.Contains(' ') ? $"({poly})" : poly)}";
        }

        w.Line($"p = {poly};");
        w.Line($"k = k + {TlMath.ExpScaleBias};");
        w.Line($"p = p * {scale}[k & 15];");
        w.Line($"{assign}p * {scale}[16 + (k >> 4)];");
    }

    /// <summary><see cref="TlMath.Log1p"/>, statement for statement.</summary>
    private static void EmitLog1p(CodeWriter w, Dialect d, string head)
    {
        string f = d.F32;
        w.Open($"{head}{f} {d.Sym(Name(Helper.Log1p, d))}({f} x)");
        w.Line($"{f} u, c, m, f, s, z, r, hfsq, fk, lo, t;");

        w.Line($"{d.I32} k = 0;");
        w.Line($"if (!(x > -1.0f)) {{ return {d.Lit(TlMath.Log1pMin)}; }}");
        w.Line($"if (x > {d.Lit(TlMath.FloatMax)}) {{ x = {d.Lit(TlMath.FloatMax)}; }}");
        w.Line("u = 1.0f + x;");
        w.Line("if (u == 1.0f) { return x; }");
        w.Line("c = (x - (u - 1.0f)) / u;");
        w.Line("m = u;");
        for (int i = 0; i < TlMath.Pow2Steps.Length; i++)
        {
            int st = TlMath.Pow2Steps[i];
            w.Line($"if (m >= {d.Lit(TlMath.Pow2Up[i])}) {{ m = m * {d.Lit(TlMath.Pow2Down[i])}; k = k + {st}; }}");
            w.Line($"if (m < {d.Lit(TlMath.Pow2Down[i])}) {{ m = m * {d.Lit(TlMath.Pow2Up[i])}; k = k - {st}; }}");
        }

        w.Line($"if (m > {d.Lit(TlMath.Sqrt2)}) {{ m = m * 0.5f; k = k + 1; }}");
        w.Line($"if (m < {d.Lit(TlMath.Sqrt2Half)}) {{ m = m * 2.0f; k = k - 1; }}");
        w.Line("f = m - 1.0f;");
        w.Line("s = f / (2.0f + f);");
        w.Line("z = s * s;");
        w.Line($"r = {d.Lit(TlMath.L4)};");
        foreach (float c in new[] { TlMath.L3, TlMath.L2, TlMath.L1 })
        {
            w.Line($"r = {d.Lit(c)} + z * r;");
        }

        w.Line("r = z * r;");
        w.Line("hfsq = (0.5f * f) * f;");
        w.Line($"fk = ({f})k;");
        w.Line($"lo = fk * {d.Lit(TlMath.Ln2Lo)};");
        w.Line("lo = lo + c;");
        w.Line("t = hfsq + r;");
        w.Line("t = s * t;");
        w.Line("t = t + lo;");
        w.Line("t = hfsq - t;");
        w.Line("t = t - f;");
        w.Line($"return fk * {d.Lit(TlMath.Ln2Hi)} - t;");
        w.Close();
    }

    /// <summary><see cref="TlMath.Rsqrt"/>, statement for statement (its loops unrolled).</summary>
    private static void EmitRsqrt(CodeWriter w, Dialect d, string head)
    {
        string f = d.F32;
        w.Open($"{head}{f} {d.Sym(Name(Helper.Rsqrt, d))}({f} x)");
        w.Line($"{f} m, y, h, r;");
        w.Line($"{f} sc = 1.0f;");
        w.Line($"if (!(x >= {d.Lit(TlMath.RsqrtMin)})) {{ x = {d.Lit(TlMath.RsqrtMin)}; }}");
        w.Line($"if (x > {d.Lit(TlMath.FloatMax)}) {{ x = {d.Lit(TlMath.FloatMax)}; }}");
        w.Line("m = x;");
        for (int i = 0; i < TlMath.RsqrtSteps; i++)
        {
            w.Line($"if (m >= {d.Lit(TlMath.Pow2Up[i])}) {{ m = m * {d.Lit(TlMath.Pow2Down[i])}; sc = sc * {d.Lit(TlMath.Pow2Down[i + 1])}; }}");
            w.Line($"if (m < {d.Lit(TlMath.Pow2Down[i])}) {{ m = m * {d.Lit(TlMath.Pow2Up[i])}; sc = sc * {d.Lit(TlMath.Pow2Up[i + 1])}; }}");
        }

        w.Line("if (m >= 2.0f) { m = m * 0.25f; sc = sc * 0.5f; }");
        w.Line("if (m < 0.5f) { m = m * 4.0f; sc = sc * 2.0f; }");
        w.Line($"y = {d.Lit(TlMath.R3)};");
        foreach (float c in new[] { TlMath.R2, TlMath.R1, TlMath.R0 })
        {
            w.Line($"y = {d.Lit(c)} + m * y;");
        }

        for (int i = 0; i < 2; i++)
        {
            w.Line("h = m * y;");
            w.Line("h = h * y;");
            w.Line("r = 0.5f - 0.5f * h;");
            w.Line("y = y + y * r;");
        }

        w.Line("return y * sc;");
        w.Close();
    }

    /// <summary><see cref="DynamicMath.FloatParts"/>, statement for statement (the exponent through a pointer in C, an out parameter in C#).</summary>
    private static void EmitFloatParts(CodeWriter w, Dialect d, string head)
    {
        string f = d.F32, i32 = d.I32;
        w.Open($"{head}{i32} {d.Sym(Name(Helper.FloatParts, d))}({f} v, {(d.IsC ? i32 + "* e" : "out int e")})");
        w.Line($"{i32} ex = 0;");
        w.Open("if (!(v > 0.0f))");
        w.Line($"{(d.IsC ? "*e" : "e")} = -1000;");
        w.Line("return 0;");
        w.Close();
        w.Line($"while (v < {d.Lit(0.001953125f)}) {{ v = v * {d.Lit(4294967296.0f)}; ex = ex - 32; }}");
        w.Line($"while (v < {d.Lit(8388608.0f)}) {{ v = v * 2.0f; ex = ex - 1; }}");
        w.Line($"while (v >= {d.Lit(72057594037927936.0f)}) {{ v = v * {d.Lit(2.3283064e-10f)}; ex = ex + 32; }}");
        w.Line($"while (v >= {d.Lit(16777216.0f)}) {{ v = v * 0.5f; ex = ex + 1; }}");
        w.Line($"{(d.IsC ? "*e" : "e")} = ex;");
        w.Line($"return ({i32})v;");
        w.Close();
    }

    /// <summary>
    /// <see cref="DynamicMath.ChooseParams(float, float, int, out float)"/>, statement for statement (its
    /// <see cref="DynamicMath.ScaleByPowerOfTwo"/> inlined; the scale through a pointer in C, an out parameter
    /// in C#). No double and no 64-bit division: int64 is only shifted, added and multiplied.
    /// </summary>
    private static void EmitChooseParams(CodeWriter w, Dialect d, string head)
    {
        string f = d.F32, i32 = d.I32, i64 = d.I64;
        string parts = d.Sym(Name(Helper.FloatParts, d));
        string sc = d.IsC ? "*scale" : "scale";
        string two53 = $"(({i64})1 << 53)", two62 = $"(({i64})1 << 62)";
        string Ref(string v) => d.IsC ? "&" + v : "out " + v;
        string smallM = $"(({i64}){d.Lit(DynamicMath.FloatParts(DynamicMath.SmallScale, out _))} << 29)";
        string smallExp = d.Lit(DynamicMath.SmallExponent);
        w.Open($"{head}{i32} {d.Sym(Name(Helper.ChooseParams, d))}({f} mn, {f} mx, {i32} qmax, {(d.IsC ? f + "* scale" : "out float scale")})");
        w.Line($"{f} a, fs, t;");
        w.Line($"{i32} ea, eb, el, dd, e, r, sh, ma, mb, ml, k, j;");
        w.Line($"{i64} x, y, lost, md, u, qt, ms, rem, half;");
        w.Line($"if (mn < -{d.Lit(float.MaxValue)}) {{ mn = -{d.Lit(float.MaxValue)}; }}");
        w.Line($"if (mx > {d.Lit(float.MaxValue)}) {{ mx = {d.Lit(float.MaxValue)}; }}");
        w.Line("a = -mn;");
        w.Line($"if (!(a > 0.0f) && !(mx > 0.0f)) {{ {sc} = {d.Lit(0.1f)}; return 0; }}");
        w.Line($"ma = {parts}(a, {Ref("ea")});");
        w.Line($"mb = {parts}(mx, {Ref("eb")});");
        w.Line("ml = ma;");
        w.Line("el = ea;");
        w.Line("dd = ea - eb;");
        w.Line($"x = ({i64})mb << 38;");
        w.Line($"if (dd < 0) {{ ml = mb; el = eb; dd = -dd; x = ({i64})ma << 38; }}");
        w.Line("y = dd > 62 ? 0 : x >> dd;");
        w.Line("lost = dd > 62 ? x : x - (y << dd);");
        w.Line($"x = (({i64})ml << 38) + y;");
        w.Line("e = el - 38;");
        w.Line($"if (x < {two62}) {{ x = x << 1; e = e - 1; }}");
        w.Line("md = x >> 10;");
        w.Line($"r = ({i32})(x & 1023);");
        w.Line("if (r > 512 || (r == 512 && (lost != 0 || (md & 1) != 0))) { md = md + 1; }");
        w.Line($"if (md == {two53}) {{ md = md >> 1; e = e + 1; }}");
        w.Line("u = md << 10;");
        w.Line("qt = 0;");
        w.Line("r = 0;");
        w.Open("for (j = 48; j >= 0; j -= 16)");
        w.Line($"{i32} cur = (r << 16) | ({i32})((u >> j) & 65535);");
        w.Line($"{i32} dg = cur / qmax;");
        w.Line("qt = (qt << 16) + dg;");
        w.Line("r = cur - (dg * qmax);");
        w.Close();
        w.Line("sh = 1;");
        w.Line($"while ((qt >> sh) >= {two53}) {{ sh = sh + 1; }}");
        w.Line("ms = qt >> sh;");
        w.Line("rem = qt - (ms << sh);");
        w.Line($"half = ({i64})1 << (sh - 1);");
        w.Line("if (rem > half || (rem == half && (r != 0 || (ms & 1) != 0))) { ms = ms + 1; }");
        w.Line($"if (ms == {two53}) {{ ms = ms >> 1; sh = sh + 1; }}");
        w.Line("e = e + sh;");
        w.Line("sh = 29;");
        w.Line("if (e < -178) { sh = -149 - e; }");
        w.Line("fs = 0.0f;");
        w.Open("if (sh < 60)");
        w.Line("y = ms >> sh;");
        w.Line("rem = ms - (y << sh);");
        w.Line($"half = ({i64})1 << (sh - 1);");
        w.Line("if (rem > half || (rem == half && (y & 1) != 0)) { y = y + 1; }");
        w.Line($"fs = ({f})({i32})y;");
        w.Line("k = e + sh;");
        w.Line($"while (k >= 16) {{ fs = fs * {d.Lit(65536.0f)}; k = k - 16; }}");
        w.Line($"while (k <= -16) {{ fs = fs * {d.Lit(1.5258789e-05f)}; k = k + 16; }}");
        w.Line($"fs = k >= 0 ? fs * ({f})(1 << k) : fs / ({f})(1 << -k);");
        w.Close();
        w.Line($"if (fs == 0.0f || !(1.0f / fs <= {d.Lit(float.MaxValue)})) {{ {sc} = {d.Lit(0.1f)}; return 0; }}");
        w.Line($"{sc} = fs;");
        w.Open($"if (e < {smallExp} || (e == {smallExp} && ms < {smallM}))");
        w.Line($"{sc} = {d.Lit(DynamicMath.SmallScale)};");
        w.Line($"ms = {smallM};");
        w.Line($"e = {smallExp};");
        w.Line($"if (mn == 0.0f) {{ mx = {d.Lit(DynamicMath.SmallScale)} * ({f})qmax; }}");
        w.Line($"else if (mx == 0.0f) {{ mn = -({d.Lit(DynamicMath.SmallScale)} * ({f})qmax); }}");
        w.Line($"else {{ {f} amp = {d.Lit(DynamicMath.SmallScale)} / fs; mn = mn * amp; mx = mx * amp; }}");
        w.Close();
        w.Line("a = -mn;");
        w.Line("if (!(a > 0.0f)) { return 0; }");
        w.Line($"t = a / {sc};");
        w.Line($"if (!(t < ({f})(qmax + 1))) {{ return qmax; }}");
        w.Line($"k = ({i32})t;");
        w.Line($"ma = {parts}(a, {Ref("ea")});");
        w.Line("sh = ea + 1 - e;");
        w.Line("if (sh < 0) { return k; }");
        w.Line($"x = (({i64})ma << sh) - (({i64})((2 * k) + 1) * ms);");
        w.Line("y = x < 0 ? -x : x;");
        w.Line("dd = 53;");
        w.Line("for (j = k; j > 0; j = j >> 1) { dd = dd - 1; }");
        w.Line("if (y <= (ms >> dd)) { k = k + (k & 1); }");
        w.Line("else if (x > 0) { k = k + 1; }");
        w.Line("return k > qmax ? qmax : k;");
        w.Close();
    }

    /// <summary>A helper's name before the model prefix: <c>exp</c>, C# <c>Exp</c>.</summary>
    internal static string Name(Helper h, Dialect d) => d.IsC ? h.ToString().ToLowerInvariant() : h.ToString();

    /// <summary>The helpers <paramref name="h"/> calls or needs written before it.</summary>
    public static IEnumerable<Helper> Needs(Helper h) => h switch
    {
        Helper.ArmDsp => new[] { Helper.Fence },
        Helper.Tanh or Helper.Sigmoid or Helper.Elu => new[] { Helper.Exp },
        Helper.Silu => new[] { Helper.Exp, Helper.Sigmoid },
        Helper.Softplus => new[] { Helper.Exp, Helper.Log1p },
        Helper.QuantizeDynamic => new[] { Helper.ChooseParams },
        Helper.ChooseParams => new[] { Helper.FloatParts },
        _ => System.Array.Empty<Helper>(),
    };

    /// <summary>The name the generated code calls <paramref name="h"/> by: <c>uji_mlp_exp</c>, <c>Exp</c>; the macro for the DSP prelude and the fence.</summary>
    public static string Symbol(Helper h, Dialect d) => h switch
    {
        Helper.ArmDsp => ArmDsp.Macro(d),
        Helper.Fence => Fence.Name(d),
        _ => d.Sym(Name(h, d)),
    };
}
