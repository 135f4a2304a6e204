using System;

namespace TinyLoc.Compiler.Manifest;

/// <summary>
/// How the runtime (runtime/) turns a stream of readings into the model's windows, from the manifest's
/// <c>input.period_ms</c>, <c>input.max_fill_ms</c>, <c>input.hop</c> and <c>input.session_gap_ms</c> (how it treats
/// answers is <see cref="OutputSpec.Vote"/> and <see cref="OutputSpec.MotionAlpha"/>). The defaults are the paper's
/// in-home pipeline (Suwannaphong et al. 2025): rows every second, readings carried for up to 1 s, windows with 50 %
/// overlap, a new window after 2 s without rows.
/// </summary>
public sealed record StreamSpec(uint PeriodUs, int MaxFillMs, int Hop, int SessionGapMs)
{
    public const double DefaultPeriodMs = 1000;
    public const int DefaultMaxFillMs = 1000;
    public const int DefaultSessionGapMs = 2000;

    /// <summary>The largest row period, fill and session gap accepted (one hour), in milliseconds.</summary>
    public const int MaxMs = 3_600_000;

    /// <summary>The most rows a reading may be carried into (the runtime keeps ages in a byte; 255 means none).</summary>
    public const int MaxFillRows = 254;

    /// <summary>Half the window, at least one row: windows overlap by 50 %.</summary>
    public static int DefaultHop(int window) => Math.Max(1, window / 2);

    /// <summary>The defaults for a window of <paramref name="window"/> rows.</summary>
    public static StreamSpec Default(int window) =>
        new((uint)(DefaultPeriodMs * 1000), DefaultMaxFillMs, DefaultHop(window), DefaultSessionGapMs);

    /// <summary>Rows after its own a reading fills: floor(max_fill / period).</summary>
    public int FillRows => (int)((long)MaxFillMs * 1000 / PeriodUs);

    /// <summary>The period in milliseconds, for messages and comments.</summary>
    public double PeriodMs => PeriodUs / 1000.0;
}
