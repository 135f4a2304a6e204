using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using TinyLoc.Runtime;

namespace TinyLoc.Compiler.Tests.Runtime;

/// <summary>The settings of the stand-in model runtime_driver.c and <see cref="RuntimeScript"/> share.</summary>
public sealed record ScriptModel(int Features, int Window, int Hop, int Outputs, int Kind, uint PeriodUs, int FillRows, uint SessionGapMs, float Missing, int Vote, float Alpha, bool Capture);

/// <summary>
/// A script of pushes and polls for the runtime, written as runtime_driver.c reads it, and run here through the C#
/// runtime with the same stand-in model: the C# side of the C = C# comparison (the lines are the driver's).
/// </summary>
public sealed class RuntimeScript
{
    private readonly StringBuilder _text = new();

    public RuntimeScript(ScriptModel model)
    {
        Model = model;
        _text.Append(Invariant($"model {model.Features} {model.Window} {model.Hop} {model.Outputs} {model.Kind} {model.PeriodUs} {model.FillRows} {model.SessionGapMs} {Hex(model.Missing)} {model.Vote} {Hex(model.Alpha)} {(model.Capture ? 1 : 0)}\n"));
    }

    public ScriptModel Model { get; }

    public List<(char Op, int Feature, string? Id, float A, float B, uint T)> Events { get; } = new();

    public string Text => _text.ToString();

    public void Push(int feature, float rssi, uint t) => Add('p', feature, null, rssi, 0, t, Invariant($"p {feature} {Hex(rssi)} {t}"));

    public void Push(string id, float rssi, uint t) => Add('s', 0, id, rssi, 0, t, Invariant($"s {id} {Hex(rssi)} {t}"));

    public void Motion(float dx, float dy, uint t) => Add('m', 0, null, dx, dy, t, Invariant($"m {Hex(dx)} {Hex(dy)} {t}"));

    public void Poll(uint t) => Add('q', 0, null, 0, 0, t, Invariant($"q {t}"));

    public void Reset() => Add('r', 0, null, 0, 0, 0, "r");

    /// <summary>The transcript the C# runtime gives for this script (the same lines as the C driver's stdout).</summary>
    public string RunCSharp()
    {
        var m = Model;
        var output = new StringBuilder();
        string[] ids = Enumerable.Range(0, m.Features).Select(i => "f" + i.ToString(CultureInfo.InvariantCulture)).OrderBy(s => s, System.StringComparer.Ordinal).ToArray();
        int[] features = ids.Select(s => int.Parse(s.Substring(1), CultureInfo.InvariantCulture)).ToArray();
        var info = new ModelInfo(ids, features, (input, o) => StandIn(input, o, output), m.Features, m.Window, m.Hop, m.Outputs, m.Kind, m.PeriodUs, m.FillRows, m.SessionGapMs, m.Missing, m.Vote, m.Alpha);
        var loc = new Localizer(info);
        foreach (var e in Events)
        {
            switch (e.Op)
            {
                case 'p': loc.PushFeature(e.Feature, e.A, e.T); break;
                case 's': loc.Push(e.Id!, e.A, e.T); break;
                case 'm': loc.PushMotion(e.A, e.B, e.T); break;
                case 'r': loc.Reset(); break;
                default:
                    if (loc.Poll(e.T))
                    {
                        var a = loc.Answer;
                        output.Append(Invariant($"a {a.TimeMs} {a.Label} {Hex(a.X)} {Hex(a.Y)}"));
                        foreach (float v in a.Values)
                        {
                            output.Append(' ').Append(Hex(v));
                        }

                        output.Append('\n');
                    }

                    break;
            }
        }

        var s = loc.Stats;
        output.Append(Invariant($"stats {s.UnknownIds} {s.Invalid} {s.Late} {s.ClockStarts} {s.Rows} {s.EmptyRows} {s.Windows} {s.Sessions}\n"));
        return output.ToString();
    }

    public static string Hex(float v) => System.BitConverter.SingleToUInt32Bits(v).ToString("x8", CultureInfo.InvariantCulture);

    private void StandIn(float[] input, float[] output, StringBuilder transcript)
    {
        var m = Model;
        int n = m.Features * m.Window;
        if (m.Capture)
        {
            transcript.Append('w');
            for (int i = 0; i < n; i++)
            {
                transcript.Append(' ').Append(Hex(input[i]));
            }

            transcript.Append('\n');
        }

        for (int k = 0; k < m.Outputs; k++)
        {
            float acc = 0.0f;
            for (int i = k; i < n; i += m.Outputs)
            {
                acc += input[i];
            }

            output[k] = acc * 0.01f;
        }

        if (m.Kind == OutputKinds.Path)
        {
            int above = 0;
            for (int i = 0; i < n; i++)
            {
                above += input[i] > -80.0f ? 1 : 0;
            }

            output[m.Outputs - 1] = above % m.Outputs;
        }
    }

    private void Add(char op, int feature, string? id, float a, float b, uint t, string line)
    {
        Events.Add((op, feature, id, a, b, t));
        _text.Append(line).Append('\n');
    }

    private static string Invariant(System.FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
