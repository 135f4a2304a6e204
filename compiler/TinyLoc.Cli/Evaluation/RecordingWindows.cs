using System;
using System.Collections.Generic;
using System.Linq;
using TinyLoc.Compiler.Emit;
using TinyLoc.Compiler.Evaluation;
using TinyLoc.Compiler.Manifest;
using TinyLoc.Runtime;

namespace TinyLoc.Cli.Evaluation;

/// <summary>
/// A recording's windows as the device makes them: the runtime (runtime/TinyLoc.Runtime, the code that ships beside
/// generated C# models) fed one push per non-empty reading at the row's time, a poll per row and a final poll a
/// session gap after the last row. A window's label (class or targets) is that of the last row of the recording
/// whose readings went into the window's last row (for a row of carried readings only, the row before it).
/// </summary>
public static class RecordingWindows
{
    /// <summary>The windows and their labels; windows whose label is not one of the model's are counted in <see cref="LabelledData.Skipped"/>.</summary>
    /// <param name="m">The model's manifest (window, hop, period, fill, session gap, missing value).</param>
    /// <param name="recording">The recording (<see cref="DatasetEvaluation.LoadRecording"/>).</param>
    public static LabelledData Build(ModelManifest m, Recording recording)
    {
        var s = m.Input.Stream;
        int features = m.Input.Features.Count;
        int n = recording.TimesMs.Length;
        Localizer? localizer = null;
        var captured = new List<(float[] Window, long LastRow)>();
        var ids = m.Input.Features.Select((f, i) => (f, i)).OrderBy(p => p.f, StringComparer.Ordinal).ToArray();
        var model = new ModelInfo(
            ids.Select(p => p.f).ToArray(), ids.Select(p => p.i).ToArray(),
            (input, _) => captured.Add(((float[])input.Clone(), (long)localizer!.Stats.Rows - 1)), // the window's last row has just been counted
            features, m.Input.Window, s.Hop, m.Output.Count, RuntimeGlue.OutputKind(m), s.PeriodUs, s.FillRows, (uint)s.SessionGapMs, RuntimeGlue.Missing(m), 1, m.Output.MotionAlpha);
        localizer = new Localizer(model);

        // The runtime row (0, 1, ...) each recording row's readings went into; -1 for a row without readings.
        var rowOf = new long[n];
        var data = new LabelledData(new List<float[]>(), new List<int>(), new List<float[]>(), 0, recording.UnknownLabels);
        int skipped = 0;

        void Take(int current)
        {
            foreach (var (window, last) in captured)
            {
                int row = current;
                while (row > 0 && (rowOf[row] < 0 || rowOf[row] > last))
                {
                    row--;
                }

                if (recording.Classes.Length > 0)
                {
                    if (recording.Classes[row] < 0)
                    {
                        skipped++;
                        continue;
                    }

                    data.Classes.Add(recording.Classes[row]);
                }
                else
                {
                    data.Targets.Add(recording.Targets[row]);
                }

                data.Inputs.Add(window);
            }

            captured.Clear();
        }

        for (int r = 0; r < n; r++)
        {
            uint t = recording.TimesMs[r];
            rowOf[r] = -1;
            for (int f = 0; f < features; f++)
            {
                float v = recording.Readings[r][f];
                if (!float.IsNaN(v))
                {
                    localizer.PushFeature(f, v, t);
                    rowOf[r] = localizer.Stats.Rows;
                }
            }

            localizer.Poll(t);
            Take(r);
        }

        localizer.Poll(unchecked(recording.TimesMs[n - 1] + (uint)s.SessionGapMs));
        Take(n - 1);
        return data with { Skipped = skipped };
    }
}
