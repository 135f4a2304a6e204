namespace TinyLoc.Runtime
{
    /// <summary>The latest answer (C's <c>tl_answer</c>); updated in place, never reallocated.</summary>
    public sealed class Answer
    {
        internal Answer(float[] values)
        {
            Values = values;
            Label = -1;
        }

        /// <summary>The model's outputs for the window (overwritten by the next answer).</summary>
        public readonly float[] Values;

        /// <summary>The centre of the window's last row, in the caller's milliseconds.</summary>
        public uint TimeMs;

        /// <summary>The filtered position (position models).</summary>
        public float X;

        /// <summary>The filtered position (position models).</summary>
        public float Y;

        /// <summary>The class, after the vote (classifiers); else -1.</summary>
        public int Label;
    }

    /// <summary>Counters a caller can read (C's <c>tl_stats</c>); they saturate at 2^32 - 1.</summary>
    public sealed class RuntimeStats
    {
        /// <summary>Pushes whose id or feature index the model does not have.</summary>
        public uint UnknownIds;

        /// <summary>NaN or out-of-range RSSI, non-finite motion.</summary>
        public uint Invalid;

        /// <summary>Readings older than the row being built.</summary>
        public uint Late;

        /// <summary>The row clock (re)started.</summary>
        public uint ClockStarts;

        /// <summary>Rows added to a window.</summary>
        public uint Rows;

        /// <summary>Rows skipped because no feature had a value.</summary>
        public uint EmptyRows;

        /// <summary>Model runs.</summary>
        public uint Windows;

        /// <summary>Windows started afresh.</summary>
        public uint Sessions;

        internal static uint Count(uint counter) => counter == 0xFFFFFFFFu ? counter : counter + 1;
    }
}
