namespace TinyLoc.Runtime
{
    /// <summary>Runs a model: input[T·F] raw dBm, time-major → output[outputs]. The generated class's <c>Predict</c>.</summary>
    /// <param name="input">The window.</param>
    /// <param name="output">The model's outputs.</param>
    public delegate void Predictor(float[] input, float[] output);

    /// <summary>What a model's outputs are (<see cref="ModelInfo.OutputKind"/>).</summary>
    public static class OutputKinds
    {
        /// <summary>Class scores: the answer is the argmax (lowest index on ties).</summary>
        public const int Classes = 0;

        /// <summary>A CRF's decoded tag path: the answer is the last tag.</summary>
        public const int Path = 1;

        /// <summary>x, y: filtered with the motion pushed since the last answer.</summary>
        public const int Position = 2;

        /// <summary>Other regression outputs, passed through.</summary>
        public const int Values = 3;
    }

    /// <summary>
    /// A model as the runtime sees it; the generated class's <c>CreateLocalizer()</c> makes one from the manifest.
    /// The same fields as C's <c>tl_model</c>.
    /// </summary>
    public sealed class ModelInfo
    {
        /// <summary>Creates the description of a model.</summary>
        /// <param name="beaconIds">The beacon ids, sorted by <see cref="string.CompareOrdinal(string, string)"/>.</param>
        /// <param name="beaconFeatures">The feature each id feeds.</param>
        /// <param name="predict">The model.</param>
        /// <param name="features">F, the inputs per row.</param>
        /// <param name="window">T, rows per window.</param>
        /// <param name="hop">Rows between windows.</param>
        /// <param name="outputs">The model's output count.</param>
        /// <param name="outputKind">One of <see cref="OutputKinds"/>.</param>
        /// <param name="periodUs">The row period in microseconds.</param>
        /// <param name="fillRows">Rows a reading is carried into.</param>
        /// <param name="sessionGapMs">Rows further apart start a new window.</param>
        /// <param name="missing">The raw value written for "not received".</param>
        /// <param name="vote">Answers in the majority vote (1: none).</param>
        /// <param name="alpha">The complementary filter's weight of the model's position.</param>
        public ModelInfo(string[] beaconIds, int[] beaconFeatures, Predictor predict, int features, int window, int hop,
            int outputs, int outputKind, uint periodUs, int fillRows, uint sessionGapMs, float missing, int vote, float alpha)
        {
            BeaconIds = beaconIds;
            BeaconFeatures = beaconFeatures;
            Predict = predict;
            Features = features;
            Window = window;
            Hop = hop;
            Outputs = outputs;
            OutputKind = outputKind;
            PeriodUs = periodUs;
            FillRows = fillRows;
            SessionGapMs = sessionGapMs;
            Missing = missing;
            Vote = vote;
            Alpha = alpha;
        }

        /// <summary>The beacon ids, sorted ordinally.</summary>
        public readonly string[] BeaconIds;

        /// <summary>The feature each id feeds.</summary>
        public readonly int[] BeaconFeatures;

        /// <summary>The model.</summary>
        public readonly Predictor Predict;

        /// <summary>F, the inputs per row.</summary>
        public readonly int Features;

        /// <summary>T, rows per window.</summary>
        public readonly int Window;

        /// <summary>Rows between windows.</summary>
        public readonly int Hop;

        /// <summary>The model's output count.</summary>
        public readonly int Outputs;

        /// <summary>One of <see cref="OutputKinds"/>.</summary>
        public readonly int OutputKind;

        /// <summary>The row period in microseconds.</summary>
        public readonly uint PeriodUs;

        /// <summary>Rows a reading is carried into.</summary>
        public readonly int FillRows;

        /// <summary>Rows further apart than this start a new window.</summary>
        public readonly uint SessionGapMs;

        /// <summary>The raw value written for "not received".</summary>
        public readonly float Missing;

        /// <summary>Answers in the majority vote (1: none).</summary>
        public readonly int Vote;

        /// <summary>The complementary filter's weight of the model's position.</summary>
        public readonly float Alpha;

        /// <summary>UTF-16 code unit by code unit, then length: <see cref="string.CompareOrdinal(string, string)"/>, which nanoFramework lacks.</summary>
        private static int CompareOrdinal(string a, string b)
        {
            int n = a.Length < b.Length ? a.Length : b.Length;
            for (int i = 0; i < n; i++)
            {
                if (a[i] != b[i])
                {
                    return a[i] - b[i];
                }
            }

            return a.Length - b.Length;
        }

        /// <summary>The feature of a beacon id, or -1 (binary search, no allocation).</summary>
        /// <param name="id">The beacon id.</param>
        /// <returns>The feature index, or -1.</returns>
        public int FeatureOf(string id)
        {
            int lo = 0, hi = BeaconIds.Length - 1;
            while (lo <= hi)
            {
                int mid = lo + (hi - lo) / 2;
                int c = CompareOrdinal(id, BeaconIds[mid]);
                if (c == 0)
                {
                    return BeaconFeatures[mid];
                }

                if (c < 0)
                {
                    hi = mid - 1;
                }
                else
                {
                    lo = mid + 1;
                }
            }

            return -1;
        }
    }
}
